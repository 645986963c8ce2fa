import { DecodeError, InputError } from './errors.js';

/**
 * OBIS code (IEC 62056-6-1): six value groups A..F, each 0..255.
 * A = medium (0 abstract, 1 electricity), B = channel, C = quantity, D = processing,
 * E = tariff / further classification, F = billing period (255 = not used).
 */
export type Obis = readonly [number, number, number, number, number, number];

const GROUP_NAMES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const EXAMPLE = 'such as 1-0:1.8.0.255';

/**
 * Parse the forms installers type or meters print:
 * `1-0:1.8.0.255`, `1-0:1.8.0*255`, `1-0:1.8.0&255`, `1.0.1.8.0.255`, `1-0:1.8.0` (F = 255),
 * `0100010800FF` (12 hex digits, as the logical_name octet-string travels), with spaces around.
 */
export function parseObis(text: string, field = 'OBIS code'): Obis {
  if (typeof text !== 'string') throw new InputError(field, text, `expected text ${EXAMPLE}`);
  const s = text.trim();
  if (s === '') throw new InputError(field, text, `it is empty; expected an OBIS code ${EXAMPLE}`);

  if (!/[-:.*&]/.test(s)) {
    if (/^[0-9a-fA-F]+$/.test(s)) {
      if (s.length !== 12) {
        throw new InputError(
          field,
          text,
          `expected 6 groups as A-B:C.D.E.F ${EXAMPLE}, or exactly 12 hexadecimal digits; found ${s.length} digit(s) and no separators`,
        );
      }
      const out: number[] = [];
      for (let i = 0; i < 12; i += 2) out.push(parseInt(s.slice(i, i + 2), 16));
      return out as unknown as Obis;
    }
    throw new InputError(field, text, `expected 6 groups as A-B:C.D.E.F ${EXAMPLE}, or 12 hexadecimal digits`);
  }

  const groups: string[] = [];
  const separators: string[] = [];
  let current = '';
  for (const ch of s) {
    if (ch === '-' || ch === ':' || ch === '.' || ch === '*' || ch === '&') {
      groups.push(current);
      separators.push(ch);
      current = '';
    } else {
      current += ch;
    }
  }
  groups.push(current);

  const named = separators.includes('-') || separators.includes(':');
  // A-B:C.D.E is the one short form: the billing period F is then "not used" (255).
  const allowFive = named && groups.length === 5;
  if (groups.length !== 6 && !allowFive) {
    throw new InputError(field, text, `expected 6 groups as A-B:C.D.E.F ${EXAMPLE}, found ${groups.length}`);
  }
  checkSeparators(separators, named, field, text);

  const values: number[] = [];
  groups.forEach((g, i) => {
    const name = GROUP_NAMES[i]!;
    if (g === '') throw new InputError(field, text, `group ${name} is empty; each group is a number 0 to 255`);
    if (!/^[0-9]+$/.test(g)) {
      throw new InputError(field, text, `group ${name} is ${JSON.stringify(g)}; each group is a decimal number 0 to 255`);
    }
    const n = Number(g);
    if (n > 255) throw new InputError(field, text, `group ${name} is ${g}; each group is 0 to 255`);
    values.push(n);
  });
  if (values.length === 5) values.push(255);
  return values as unknown as Obis;
}

function checkSeparators(seps: readonly string[], named: boolean, field: string, text: string): void {
  const last = seps.length - 1;
  for (let i = 0; i < seps.length; i++) {
    const sep = seps[i]!;
    let expected: readonly string[];
    if (i === 4 && i === last) expected = ['.', '*', '&'];
    else if (!named) expected = ['.'];
    else if (i === 0) expected = ['-'];
    else if (i === 1) expected = [':'];
    else expected = ['.'];
    if (!expected.includes(sep)) {
      const where = `between groups ${GROUP_NAMES[i]} and ${GROUP_NAMES[i + 1]}`;
      throw new InputError(field, text, `${JSON.stringify(sep)} ${where} is out of place; write A-B:C.D.E.F ${EXAMPLE} or A.B.C.D.E.F`);
    }
  }
}

/** The one canonical text form, `A-B:C.D.E.F`. */
export function formatObis(o: Obis): string {
  return `${o[0]}-${o[1]}:${o[2]}.${o[3]}.${o[4]}.${o[5]}`;
}

/** A string usable as a Map key; the canonical form, so keys read well in logs. */
export function obisKey(o: Obis): string {
  return formatObis(o);
}

export function obisEquals(a: Obis, b: Obis): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3] && a[4] === b[4] && a[5] === b[5];
}

/** The 6-byte logical_name as it travels in an octet-string. */
export function obisToBytes(o: Obis): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const v = o[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
      throw new InputError('OBIS code', String(o), `group ${GROUP_NAMES[i]} is ${String(v)}; each group is 0 to 255`);
    }
    out[i] = v;
  }
  return out;
}

/** Read a logical_name from received bytes. */
export function obisFromBytes(b: Uint8Array, offset = 0): Obis {
  if (offset < 0 || b.length - offset < 6) {
    throw new DecodeError(`logical name needs 6 bytes but only ${Math.max(0, b.length - offset)} remain`, offset, 'truncated');
  }
  return [b[offset]!, b[offset + 1]!, b[offset + 2]!, b[offset + 3]!, b[offset + 4]!, b[offset + 5]!];
}

// ---------------------------------------------------------------- standard names

/**
 * The Blue Book name of a code installers meet, or undefined when the code is not in the
 * dictionary. Electricity quantities are composed from the OBIS rules (C quantity, D processing,
 * E tariff, F billing period) rather than listed. A malformed text throws InputError.
 */
export function standardName(o: Obis | string): string | undefined {
  const obis = typeof o === 'string' ? parseObis(o) : o;
  return abstractName(obis) ?? electricityName(obis);
}

type NameRule = (e: number) => string | undefined;

const numbered =
  (base: string): NameRule =>
  (e) =>
    e === 0 ? base : `${base} ${e}`;
const only0 =
  (base: string): NameRule =>
  (e) =>
    e === 0 ? base : undefined;

const SCRIPT_TABLES: Readonly<Record<number, string>> = {
  0: 'Global meter reset script table',
  1: 'MDI reset / end of billing period script table',
  100: 'Tariffication script table',
  101: 'Activate test mode script table',
  102: 'Activate normal mode script table',
  103: 'Set output signals script table',
  104: 'Switch optical test output script table',
  105: 'Power quality measurement management script table',
  106: 'Disconnector script table',
  107: 'Image activation script table',
  108: 'Push script table',
};

const LOCAL_READOUTS: Readonly<Record<number, string>> = {
  0: 'General local port readout',
  1: 'General display readout',
  2: 'Alternate display readout',
  3: 'Service display readout',
};

/** Abstract objects (A = 0, B = 0, F = 255), keyed by `C.D`; the rule names by E. */
const ABSTRACT: ReadonlyMap<string, NameRule> = new Map<string, NameRule>([
  ['1.0', only0('Clock')],
  ['2.0', only0('Modem configuration')],
  ['2.1', only0('Auto connect')],
  ['2.2', only0('Auto answer')],
  ['10.0', (e) => SCRIPT_TABLES[e] ?? `Script table ${e}`],
  ['11.0', only0('Special days table')],
  ['12.0', numbered('Schedule')],
  ['13.0', only0('Activity calendar')],
  ['14.0', numbered('Register activation')],
  ['15.0', (e) => (e === 0 ? 'Single action schedule (end of billing period)' : `Single action schedule ${e}`)],
  ['16.0', numbered('Register monitor')],
  ['17.0', numbered('Limiter')],
  ['20.0', (e) => (e === 0 ? 'IEC local port setup (optical port)' : `IEC local port setup ${e}`)],
  ['21.0', (e) => LOCAL_READOUTS[e]],
  ['22.0', numbered('IEC HDLC setup')],
  ['23.0', numbered('IEC twisted pair (1) setup')],
  ['25.0', numbered('TCP-UDP setup')],
  ['25.1', numbered('IPv4 setup')],
  ['25.2', numbered('MAC address setup (Ethernet)')],
  ['25.3', numbered('PPP setup')],
  ['25.4', numbered('GPRS modem setup')],
  ['25.5', numbered('SMTP setup')],
  ['25.6', numbered('GSM diagnostic')],
  ['25.7', numbered('IPv6 setup')],
  ['25.9', numbered('Push setup')],
  ['25.10', numbered('NTP setup')],
  ['40.0', (e) => (e === 0 ? 'Current association' : `Association ${e}`)],
  ['41.0', only0('SAP assignment')],
  ['42.0', only0('COSEM logical device name')],
  ['43.0', (e) => `Security setup ${e}`],
  ['43.1', (e) => `Invocation counter ${e}`],
  ['44.0', numbered('Image transfer')],
  ['65.0', numbered('Utility tables')],
  ['96.1', (e) => (e === 0 ? 'Device ID 1 (manufacturing number)' : e <= 9 ? `Device ID ${e + 1}` : undefined)],
  ['96.3', (e) => (e === 10 ? 'Disconnect control' : undefined)],
  ['96.14', only0('Currently active energy tariff')],
  ['97.97', numbered('Error register')],
  ['98.1', (e) => `Data of billing period 1${e === 0 ? '' : ` (${e})`}`],
  ['98.2', (e) => `Data of billing period 2${e === 0 ? '' : ` (${e})`}`],
  ['99.98', (e) => `Event log ${e}`],
]);

/** General-purpose objects valid for abstract and electricity (A = 0 or 1, C = 0), keyed by `D.E`. */
const GENERAL: ReadonlyMap<string, string> = new Map([
  ['1.0', 'Billing period counter'],
  ['2.0', 'Active firmware identifier'],
  ['2.8', 'Active firmware signature'],
]);

function abstractName(o: Obis): string | undefined {
  const [a, b, c, d, e, f] = o;
  if (f !== 255 || b !== 0) return undefined;
  if ((a === 0 || a === 1) && c === 0) return GENERAL.get(`${d}.${e}`);
  if (a === 0) return ABSTRACT.get(`${c}.${d}`)?.(e);
  if (a === 1 && c === 99) {
    if (e !== 0) return undefined;
    if (d === 1) return 'Load profile with recording period 1';
    if (d === 2) return 'Load profile with recording period 2';
    if (d === 97) return 'Power failure event log';
  }
  if (a === 1 && c === 98 && (d === 1 || d === 2)) return `Data of billing period ${d}${e === 0 ? '' : ` (${e})`}`;
  return undefined;
}

/** [energy name, power / instantaneous name] of a quantity in its 20-code block (C = 1..20). */
const QUANTITIES: readonly (readonly [string | null, string])[] = [
  ['Active energy import (+A)', 'Active power import (+P)'],
  ['Active energy export (-A)', 'Active power export (-P)'],
  ['Reactive energy import (+R)', 'Reactive power import (+Q)'],
  ['Reactive energy export (-R)', 'Reactive power export (-Q)'],
  ['Reactive energy QI (+Ri)', 'Reactive power QI'],
  ['Reactive energy QII (+Rc)', 'Reactive power QII'],
  ['Reactive energy QIII (-Ri)', 'Reactive power QIII'],
  ['Reactive energy QIV (-Rc)', 'Reactive power QIV'],
  ['Apparent energy import (+S)', 'Apparent power import (+S)'],
  ['Apparent energy export (-S)', 'Apparent power export (-S)'],
  [null, 'Current'],
  [null, 'Voltage'],
  [null, 'Power factor'],
  [null, 'Supply frequency'],
  ['Active energy absolute (|+A|+|-A|)', 'Active power absolute (|+P|+|-P|)'],
  ['Active energy net (|+A|-|-A|)', 'Active power net (|+P|-|-P|)'],
  ['Active energy QI', 'Active power QI'],
  ['Active energy QII', 'Active power QII'],
  ['Active energy QIII', 'Active power QIII'],
  ['Active energy QIV', 'Active power QIV'],
];

const PHASES = ['', ' L1', ' L2', ' L3'] as const;

/** D = 0..6 for demand-type (power) quantities and for the others; D + 10 and D + 20 are schemes 2 and 3. */
const DEMAND_PROCESSING = [
  'billing period average',
  'cumulative minimum demand',
  'cumulative maximum demand',
  'minimum demand',
  'current demand',
  'last demand',
  'maximum demand',
] as const;
const VALUE_PROCESSING = [
  'billing period average',
  'cumulative minimum',
  'cumulative maximum',
  'minimum',
  'current average',
  'last average',
  'maximum',
] as const;

function electricityName(o: Obis): string | undefined {
  const [a, b, c, d, e, f] = o;
  if (a !== 1) return undefined;
  const billing = billingSuffix(f);
  if (billing === undefined) return undefined;
  const channel = b === 0 ? '' : ` (channel ${b})`;

  let quantity: readonly [string | null, string];
  let phase = '';
  if (c >= 1 && c <= 80) {
    quantity = QUANTITIES[(c - 1) % 20]!;
    phase = PHASES[Math.floor((c - 1) / 20)]!;
    // C = 11 and 12 (no phase) are "any phase" in the Blue Book, not a sum.
    if (c === 11 || c === 12) phase = ' (any phase)';
  } else if (c === 91) {
    quantity = [null, 'Neutral current'];
  } else if (c === 92) {
    quantity = [null, 'Neutral voltage'];
  } else {
    return undefined;
  }
  const [energy, power] = quantity;
  const isDemandQuantity = energy !== null;
  const tariff = e === 0 ? 'total' : e <= 63 ? `tariff ${e}` : undefined;

  let text: string | undefined;
  if (d === 7) {
    if (e !== 0) return undefined;
    text = `${power}${phase}, instantaneous`;
  } else if (d === 8 || d === 9) {
    if (energy === null || tariff === undefined) return undefined;
    text = `${energy}${phase}, ${d === 9 ? 'current billing period, ' : ''}${tariff}`;
  } else {
    const scheme = d <= 6 ? 1 : d >= 11 && d <= 16 ? 2 : d >= 21 && d <= 26 ? 3 : 0;
    if (scheme === 0) return undefined;
    const base = d % 10;
    const processing = (isDemandQuantity ? DEMAND_PROCESSING : VALUE_PROCESSING)[base]!;
    const schemeText = scheme === 1 ? '' : ` ${scheme}`;
    if (isDemandQuantity) {
      if (tariff === undefined) return undefined;
      text = `${power}${phase}, ${processing}${schemeText}, ${tariff}`;
    } else {
      if (e !== 0) return undefined;
      text = `${power}${phase}, ${processing}${schemeText}`;
    }
  }
  return `${text}${billing}${channel}`;
}

function billingSuffix(f: number): string | undefined {
  if (f === 255) return '';
  if (f <= 99) return `, billing period ${f}`;
  if (f === 101) return ', most recent billing period';
  if (f >= 102 && f <= 125) return `, ${f - 100} most recent billing periods`;
  if (f === 126) return ', unspecified number of most recent billing periods';
  return undefined;
}

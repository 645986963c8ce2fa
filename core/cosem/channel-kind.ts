/**
 * What a value or profile column is, for drawing it: an energy register that only grows (its change
 * per capture period is the load), a status word whose bits are flags (nothing to plot), or any
 * other quantity. The chart queries and the Readings page ask the same functions, so a column is
 * never an energy channel on one side and a status word on the other.
 */
import { parseObis } from '../obis.js';

/** An energy unit (Wh, kWh, varh, VAh, ...): what a meter accumulates. */
export function isCumulativeUnit(unit: string | null | undefined): boolean {
  return unit !== null && unit !== undefined && /^[kMG]?(W|var|VA)h$/.test(unit);
}

/**
 * A status word (IEC 62056-6-2): the status registers C=96 D=10 (the AMR profile status of a load
 * profile is 0-0:96.10.1.255 or .7), the internal operating status C=96 D=5, and the error
 * registers C=97 D=97. Bits, not a number: a table shows them decoded, a chart leaves them out.
 */
export function isStatusWord(obis: string): boolean {
  let o: readonly number[];
  try {
    o = parseObis(obis);
  } catch {
    return false;
  }
  const c = o[2];
  const d = o[3];
  return (c === 96 && (d === 10 || d === 5)) || (c === 97 && d === 97);
}

/**
 * The AMR profile status bits (IDIS / DSMR, bit 0 first): what a load profile's status column
 * says about each interval.
 */
const AMR_STATUS_BITS: readonly string[] = [
  'critical error',
  'clock invalid',
  'data not valid',
  'daylight saving',
  'bit 4',
  'clock adjusted',
  'recovered value',
  'power down',
];

/** The names of the AMR profile status bits set in `word`, bit 7 first (as they are usually listed). */
export function amrStatusNames(word: number): string[] {
  const names: string[] = [];
  for (let bit = 7; bit >= 0; bit--) if ((word >> bit) & 1) names.push(AMR_STATUS_BITS[bit]!);
  return names;
}

/** The status registers C=96 D=10, which load profiles capture as their AMR profile status. */
function isProfileStatus(obis: string): boolean {
  try {
    const o = parseObis(obis);
    return o[2] === 96 && o[3] === 10;
  } catch {
    return false;
  }
}

/**
 * A status word as a table cell: hexadecimal, and for a profile status byte the bits set, by name
 * ("0x88 power down, daylight saving"); "0x00" alone when none is set. Other status words (error
 * registers, operating status) are manufacturer-defined: hexadecimal only. Text that is not a whole
 * number is left as it is.
 */
export function statusWordText(obis: string, cell: string | number | null): string {
  if (cell === null) return '';
  const text = String(cell).trim();
  if (!/^\d+$/.test(text)) return text;
  const word = Number(text);
  const digits = word > 0xffff ? 8 : word > 0xff ? 4 : 2;
  const hex = `0x${word.toString(16).toUpperCase().padStart(digits, '0')}`;
  if (word > 0xff || !isProfileStatus(obis)) return hex;
  const names = amrStatusNames(word);
  return names.length === 0 ? hex : `${hex} ${names.join(', ')}`;
}

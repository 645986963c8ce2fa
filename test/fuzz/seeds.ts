/**
 * The seed inputs of every target: each frame and wrapper message of the byte-exact traces (and of
 * /work/shared/vectors when it holds traces the fixtures do not), the APDUs inside them (ciphered
 * ones also deciphered with the traces' keys), the A-XDR data they carry, values and APDUs built by
 * the project's own encoders, and client sessions recorded against the virtual meter.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeApdu, encodeApdu } from '../../core/apdu/index.js';
import type { Apdu } from '../../core/apdu/types.js';
import { encodeDataBytes } from '../../core/axdr/codec.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { concatBytes, fromHex, toHex } from '../../core/bytes.js';
import { DlmsError } from '../../core/errors.js';
import { decodeFrame } from '../../core/hdlc/frame.js';
import { cipherApdu, decipherApdu, isCipheredTag, serviceSpecificTag } from '../../core/security/index.js';
import { decodeWrapper } from '../../core/wrapper/message.js';
import { nodeCrypto } from '../../electron/services/node-crypto.js';
import { FuzzRng } from './rng.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const VECTOR_DIRS = [join(FIXTURES, 'vectors'), '/work/shared/vectors'];
/** Recorded client sessions against the virtual meter (see record-sessions.ts). */
export const SESSIONS_DIR = join(FIXTURES, 'fuzz', 'sessions');

/** The keys and system titles of the ciphered traces (their README). */
export const TRACE_KEYS = {
  blockCipherKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  authenticationKey: fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF'),
};
export const TRACE_CLIENT_TITLE = fromHex('4775727578313233');
export const TRACE_SERVER_TITLE = fromHex('4142434445464748');

export interface TraceMessage {
  readonly framing: 'hdlc' | 'wrapper';
  readonly dir: 'c2s' | 's2c';
  readonly bytes: Uint8Array;
}

interface TraceFile {
  readonly settings: { readonly framing?: string };
  readonly exchanges: readonly { readonly dir: 'c2s' | 's2c'; readonly hex: string }[];
}

/** Every exchange of every trace, each distinct trace once whichever directory holds it. */
export function traceMessages(): TraceMessage[] {
  const seen = new Set<string>();
  const out: TraceMessage[] = [];
  for (const dir of VECTOR_DIRS) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      if (seen.has(text)) continue;
      seen.add(text);
      const trace = JSON.parse(text) as TraceFile;
      const framing = (trace.settings.framing ?? '').toUpperCase().startsWith('HDLC') ? 'hdlc' : 'wrapper';
      for (const e of trace.exchanges) out.push({ framing, dir: e.dir, bytes: fromHex(e.hex) });
    }
  }
  return out;
}

export interface TraceApdu {
  readonly dir: 'c2s' | 's2c';
  readonly bytes: Uint8Array;
}

/** The whole APDUs of the traces: wrapper payloads, and HDLC information fields reassembled and without LLC. */
export function traceApdus(messages: readonly TraceMessage[] = traceMessages()): TraceApdu[] {
  const out: TraceApdu[] = [];
  const pending: Record<'c2s' | 's2c', Uint8Array[]> = { c2s: [], s2c: [] };
  for (const m of messages) {
    if (m.framing === 'wrapper') {
      out.push({ dir: m.dir, bytes: decodeWrapper(m.bytes).apdu.slice() });
      continue;
    }
    const frame = decodeFrame(m.bytes);
    if (frame.kind !== 'I') continue;
    const parts = pending[m.dir];
    parts.push(frame.info);
    if (frame.segmented) continue;
    const whole = concatBytes(parts);
    pending[m.dir] = [];
    out.push({ dir: m.dir, bytes: whole[0] === 0xe6 ? whole.slice(3) : whole });
  }
  return out;
}

/** A ciphered trace APDU's plain content, or null when it is not ciphered (or does not decipher). */
export function decipherTraceApdu(a: TraceApdu): Uint8Array | null {
  if (a.bytes.length === 0 || !isCipheredTag(a.bytes[0]!)) return null;
  try {
    const peerSystemTitle = a.dir === 'c2s' ? TRACE_CLIENT_TITLE : TRACE_SERVER_TITLE;
    return decipherApdu(nodeCrypto, { keys: TRACE_KEYS, peerSystemTitle }, a.bytes).plainApdu;
  } catch {
    return null;
  }
}

const isAcseTag = (tag: number | undefined): boolean => tag !== undefined && tag >= 0x60 && tag <= 0x63;

/** A-XDR data found in plain APDUs: get-response values and whole block-transfer payloads. */
function dataOf(apdus: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let blocks: Uint8Array[] = [];
  for (const bytes of apdus) {
    let apdu: Apdu;
    try {
      apdu = decodeApdu(bytes);
    } catch {
      continue;
    }
    if (apdu.kind === 'get-response-normal' && apdu.result.kind === 'data') out.push(encodeDataBytes(apdu.result.data));
    if (apdu.kind === 'get-response-with-datablock' && apdu.result.kind === 'raw-data') {
      blocks.push(apdu.result.rawData);
      out.push(apdu.result.rawData);
      if (apdu.lastBlock) {
        out.push(concatBytes(blocks));
        blocks = [];
      }
    }
  }
  return out;
}

export interface SeedSet {
  readonly hdlcFrames: Uint8Array[];
  readonly wrapperMessages: Uint8Array[];
  /** Plain xDLMS APDUs (no ACSE). */
  readonly apdus: Uint8Array[];
  readonly ciphered: Uint8Array[];
  /** AARQ, AARE, RLRQ, RLRE. */
  readonly acse: Uint8Array[];
  readonly axdr: Uint8Array[];
}

/** Every seed, deterministic: the generated part comes from a fixed seed. */
export function buildSeeds(): SeedSet {
  const messages = traceMessages();
  const hdlcFrames = messages.filter((m) => m.framing === 'hdlc').map((m) => m.bytes);
  const wrapperMessages = messages.filter((m) => m.framing === 'wrapper').map((m) => m.bytes);
  const plain: Uint8Array[] = [];
  const ciphered: Uint8Array[] = [];
  const acse: Uint8Array[] = [];
  for (const a of traceApdus(messages)) {
    const inner = decipherTraceApdu(a);
    if (inner !== null) ciphered.push(a.bytes);
    for (const bytes of inner === null ? [a.bytes] : [inner]) {
      if (isAcseTag(bytes[0])) acse.push(bytes);
      else if (!isCipheredTag(bytes[0] ?? 0)) plain.push(bytes);
    }
  }
  const rng = new FuzzRng(0x5eed);
  const values = Array.from({ length: 40 }, () => randomValue(rng, 0));
  const built = builtApdus(rng);
  // Encryption without authentication has no tag to fail: mutated ciphertext reaches the decoder.
  const encryptedOnly = [...plain.slice(0, 12), ...built].map((apdu, i) => {
    const params = {
      policy: i % 3 === 0 ? ('authenticated-encryption' as const) : ('encryption' as const),
      systemTitle: TRACE_SERVER_TITLE,
      invocationCounter: 1000 + i,
      key: TRACE_KEYS.blockCipherKey,
      authenticationKey: TRACE_KEYS.authenticationKey,
    };
    // Not every APDU has a service-specific (glo-) form; general-glo carries any.
    const glo = i % 2 === 0 && serviceSpecificTag(apdu[0] ?? 0, 'glo') !== undefined;
    return cipherApdu(nodeCrypto, { ...params, mode: glo ? 'glo' : 'general-glo' }, apdu);
  });
  for (const session of recordedSessions()) {
    for (const m of session.messages) {
      if (session.transport === 'wrapper') wrapperMessages.push(m);
      else hdlcFrames.push(m);
    }
  }
  return {
    hdlcFrames: unique(hdlcFrames),
    wrapperMessages: unique(wrapperMessages),
    apdus: unique([...plain, ...built]),
    ciphered: unique([...ciphered, ...encryptedOnly]),
    acse: unique(acse),
    axdr: unique([...dataOf([...plain, ...built]), ...values.map(encodeDataBytes), COMPACT_ARRAY]),
  };
}

/** compact-array of structure {unsigned, long-unsigned}, two rows: the encoders do not build one. */
const COMPACT_ARRAY = fromHex('13 02 02 11 12 06 01 00 02 02 00 03');

export interface RecordedSession {
  /** File name without extension, e.g. 'hdlc-ln-low'. */
  readonly name: string;
  readonly transport: 'hdlc' | 'wrapper';
  /** What the client sent, one frame or wrapper message per element, in order. */
  readonly messages: Uint8Array[];
}

/** The client sessions record-sessions.ts wrote: one hex message per line, '#' lines are comments. */
export function recordedSessions(): RecordedSession[] {
  if (!existsSync(SESSIONS_DIR)) return [];
  return readdirSync(SESSIONS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      const messages = readFileSync(join(SESSIONS_DIR, f), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => fromHex(l));
      return { name, transport: name.startsWith('wrapper') ? 'wrapper' : 'hdlc', messages } as const;
    });
}

/** A random DLMS value for the A-XDR and APDU seeds (bounded depth and width). */
export function randomValue(rng: FuzzRng, depth: number): DlmsValue {
  const leafKinds = 20;
  const kind = depth >= 3 ? rng.below(leafKinds) : rng.below(leafKinds + 3);
  switch (kind) {
    case 0:
      return { type: 'null-data' };
    case 1:
      return { type: 'boolean', value: rng.chance(2) };
    case 2: {
      const bits = rng.below(20);
      let value = '';
      for (let i = 0; i < bits; i++) value += rng.chance(2) ? '1' : '0';
      return { type: 'bit-string', value };
    }
    case 3:
      return { type: 'double-long', value: rng.u32() | 0 };
    case 4:
      return { type: 'double-long-unsigned', value: rng.u32() };
    case 5:
      return { type: 'octet-string', value: rng.bytes(rng.chance(8) ? 200 : rng.below(16)) };
    case 6:
      return { type: 'visible-string', value: 'CSM' + String(rng.below(100000)) };
    case 7:
      return { type: 'utf8-string', value: 'Zähler ' + String(rng.below(1000)) };
    case 8:
      return { type: 'bcd', value: rng.byte() };
    case 9:
      return { type: 'integer', value: (rng.byte() << 24) >> 24 };
    case 10:
      return { type: 'long', value: (rng.u32() << 16) >> 16 };
    case 11:
      return { type: 'unsigned', value: rng.byte() };
    case 12:
      return { type: 'long-unsigned', value: rng.u32() & 0xffff };
    case 13:
      return { type: 'long64', value: BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) };
    case 14:
      return { type: 'long64-unsigned', value: (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()) };
    case 15:
      return { type: 'enum', value: rng.byte() };
    case 16:
      return { type: 'float32', value: Math.fround((rng.u32() | 0) / 1000) };
    case 17:
      return { type: 'float64', value: (rng.u32() | 0) / 7 };
    case 18:
      return {
        type: 'date-time',
        value: {
          year: 2000 + rng.below(50),
          month: 1 + rng.below(12),
          dayOfMonth: 1 + rng.below(28),
          dayOfWeek: rng.chance(4) ? 0xff : 1 + rng.below(7),
          hour: rng.below(24),
          minute: rng.below(60),
          second: rng.below(60),
          hundredths: rng.chance(2) ? 0xff : 0,
          deviation: rng.chance(2) ? -0x8000 : -60,
          clockStatus: rng.chance(2) ? 0xff : 0,
        },
      };
    case 19:
      return rng.chance(2)
        ? { type: 'date', value: { year: 0xffff, month: 1 + rng.below(12), dayOfMonth: 1 + rng.below(28), dayOfWeek: 0xff } }
        : { type: 'time', value: { hour: rng.below(24), minute: rng.below(60), second: 0, hundredths: 0xff } };
    case 20:
    case 21: {
      const items = Array.from({ length: rng.below(6) }, () => randomValue(rng, depth + 1));
      return { type: kind === 20 ? 'array' : 'structure', items };
    }
    default: {
      // The profile buffer shape: an array of rows, each a structure of a date-time and registers.
      const rows = rng.between(1, 8);
      const row = (): DlmsValue => ({
        type: 'structure',
        items: [randomValue(rng, 3), { type: 'double-long-unsigned', value: rng.u32() }, { type: 'long', value: 7 }],
      });
      return { type: 'array', items: Array.from({ length: rows }, row) };
    }
  }
}

const ATTRIBUTE = (classId: number, obis: readonly number[], attributeId: number) => ({
  classId,
  instanceId: Uint8Array.from(obis),
  attributeId,
});

/** xDLMS APDUs the encoder builds: every LN service the client and the meter use, and SN read/write. */
function builtApdus(rng: FuzzRng): Uint8Array[] {
  const clock = ATTRIBUTE(8, [0, 0, 1, 0, 0, 255], 2);
  const profile = ATTRIBUTE(7, [1, 0, 99, 1, 0, 255], 2);
  const byEntry = {
    selector: 2,
    parameters: {
      type: 'structure',
      items: [
        { type: 'double-long-unsigned', value: 1 },
        { type: 'double-long-unsigned', value: 10 },
        { type: 'long-unsigned', value: 1 },
        { type: 'long-unsigned', value: 0 },
      ],
    },
  } as const;
  const candidates: Apdu[] = [
    { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...clock },
    { kind: 'get-request-normal', invokeIdAndPriority: 0xc2, ...profile, accessSelection: byEntry },
    { kind: 'get-request-next', invokeIdAndPriority: 0xc1, blockNumber: 3 },
    { kind: 'get-request-with-list', invokeIdAndPriority: 0xc1, attributes: [clock, { ...profile, accessSelection: byEntry }] },
    { kind: 'get-response-normal', invokeIdAndPriority: 0xc1, result: { kind: 'data', data: randomValue(rng, 0) } },
    { kind: 'get-response-normal', invokeIdAndPriority: 0xc1, result: { kind: 'data-access-result', result: 4 } },
    {
      kind: 'get-response-with-datablock',
      invokeIdAndPriority: 0xc1,
      lastBlock: false,
      blockNumber: 1,
      result: { kind: 'raw-data', rawData: encodeDataBytes(randomValue(rng, 0)) },
    },
    {
      kind: 'get-response-with-list',
      invokeIdAndPriority: 0xc1,
      results: [
        { kind: 'data', data: randomValue(rng, 1) },
        { kind: 'data-access-result', result: 3 },
      ],
    },
    { kind: 'set-request-normal', invokeIdAndPriority: 0xc1, ...clock, value: randomValue(rng, 2) },
    {
      kind: 'action-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 15,
      instanceId: Uint8Array.of(0, 0, 40, 0, 0, 255),
      methodId: 1,
      methodInvocationParameters: randomValue(rng, 2),
    },
    { kind: 'exception-response', stateError: 1, serviceError: { kind: 'operation-not-possible' } },
    { kind: 'read-request', variables: [{ kind: 'variable-name', variableName: 0xfa08 }] },
    { kind: 'read-response', results: [{ kind: 'data', data: randomValue(rng, 1) }] },
    { kind: 'write-request', variables: [{ kind: 'variable-name', variableName: 0x2008 }], values: [randomValue(rng, 2)] },
    { kind: 'write-response', results: [{ kind: 'success' }] },
  ];
  // A random value the encoder refuses (an out-of-range field) is simply not a seed.
  const out: Uint8Array[] = [];
  for (const c of candidates) {
    try {
      out.push(encodeApdu(c));
    } catch (err) {
      if (!(err instanceof DlmsError)) throw err;
    }
  }
  return out;
}

function unique(list: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const b of list) {
    const key = toHex(b);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}

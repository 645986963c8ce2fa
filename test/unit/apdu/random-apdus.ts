/**
 * Seeded random APDUs for round-trip tests: the same seed gives the same APDUs, so a failure
 * reproduces from the seed printed with it.
 */
import type { DlmsValue } from '../../../core/axdr/types.js';
import { CONFIRMED_SERVICES, SERVICE_ERRORS } from '../../../core/apdu/initiate.js';
import type {
  AccessSelection,
  Apdu,
  ApduKind,
  ApplicationContextName,
  AttributeWithSelection,
  CosemMethodDescriptor,
  DataBlockSA,
  GetDataResult,
  MechanismName,
  ReadResult,
  VariableAccess,
  WriteResult,
} from '../../../core/apdu/types.js';

/** mulberry32: small, fast, good enough to pick test cases. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(): boolean {
    return this.next() < 0.5;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(maxLength: number): Uint8Array {
    const out = new Uint8Array(this.int(0, maxLength));
    for (let i = 0; i < out.length; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** Sometimes a long one, so BER lengths of 1, 2 and 3 bytes (0x81 xx, 0x82 xxxx) are exercised. */
  payload(): Uint8Array {
    const n = this.pick([0, 1, 5, 127, 128, 255, 256, 300]);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (i * 31 + n) & 0xff;
    return out;
  }
}

const UTF8_SAMPLES = ['', 'kWh', 'Zählerstand', '€ 12,50', 'Ωμ', '電力量計', '😀 ok'];

export function randomValue(p: Prng, depth = 0): DlmsValue {
  const kinds = depth >= 3 ? 21 : 24;
  switch (p.int(0, kinds)) {
    case 0:
      return { type: 'null-data' };
    case 1:
      return { type: 'boolean', value: p.bool() };
    case 2: {
      let bits = '';
      const n = p.int(0, 20);
      for (let i = 0; i < n; i++) bits += p.bool() ? '1' : '0';
      return { type: 'bit-string', value: bits };
    }
    case 3:
      return { type: 'double-long', value: p.int(-0x80000000, 0x7fffffff) };
    case 4:
      return { type: 'double-long-unsigned', value: p.int(0, 0xffffffff) };
    case 5:
      return { type: 'octet-string', value: p.bytes(20) };
    case 6: {
      let s = '';
      const n = p.int(0, 12);
      for (let i = 0; i < n; i++) s += String.fromCharCode(p.int(0x20, 0x7e));
      return { type: 'visible-string', value: s };
    }
    case 7:
      return { type: 'utf8-string', value: p.pick(UTF8_SAMPLES) };
    case 8:
      return { type: 'bcd', value: p.int(0, 255) };
    case 9:
      return { type: 'integer', value: p.int(-128, 127) };
    case 10:
      return { type: 'long', value: p.int(-32768, 32767) };
    case 11:
      return { type: 'unsigned', value: p.int(0, 255) };
    case 12:
      return { type: 'long-unsigned', value: p.int(0, 65535) };
    case 13:
      return { type: 'long64', value: BigInt(p.int(-0x7fffffff, 0x7fffffff)) * 4294967296n + BigInt(p.int(0, 0xffffffff)) };
    case 14:
      return { type: 'long64-unsigned', value: BigInt(p.int(0, 0xffffffff)) * 4294967296n + BigInt(p.int(0, 0xffffffff)) };
    case 15:
      return { type: 'enum', value: p.int(0, 255) };
    case 16:
      return { type: 'float32', value: Math.fround((p.next() - 0.5) * 1e6) };
    case 17:
      return { type: 'float64', value: (p.next() - 0.5) * 1e12 };
    case 18:
      return {
        type: 'date-time',
        value: {
          year: p.pick([2026, 0xffff]),
          month: p.int(1, 12),
          dayOfMonth: p.int(1, 28),
          dayOfWeek: p.pick([1, 7, 0xff]),
          hour: p.int(0, 23),
          minute: p.int(0, 59),
          second: p.int(0, 59),
          hundredths: p.pick([0, 99, 0xff]),
          deviation: p.pick([0, -60, 120, -0x8000]),
          clockStatus: p.pick([0, 0x80, 0xff]),
        },
      };
    case 19:
      return { type: 'date', value: { year: 2025, month: p.int(1, 12), dayOfMonth: p.int(1, 31), dayOfWeek: p.int(1, 7) } };
    case 20:
      return { type: 'time', value: { hour: p.int(0, 23), minute: p.int(0, 59), second: p.int(0, 59), hundredths: 0xff } };
    case 21:
      return { type: 'dont-care' };
    case 22: {
      const n = p.int(0, 4);
      const items: DlmsValue[] = [];
      for (let i = 0; i < n; i++) items.push(randomValue(p, depth + 1));
      return { type: 'structure', items };
    }
    case 23: {
      const n = p.int(0, 4);
      const items: DlmsValue[] = [];
      for (let i = 0; i < n; i++) items.push(randomValue(p, depth + 1));
      return { type: 'array', items };
    }
    default: {
      const n = p.int(0, 5);
      const items: DlmsValue[] = [];
      for (let i = 0; i < n; i++) items.push({ type: 'long-unsigned', value: p.int(0, 65535) });
      return { type: 'compact-array', description: { type: 'long-unsigned' }, items };
    }
  }
}

const obis = (p: Prng): Uint8Array => Uint8Array.from({ length: 6 }, () => p.int(0, 255));
const invoke = (p: Prng): number => p.int(0, 255);
const u32 = (p: Prng): number => p.pick([0, 1, 2, 0xff, 0x10000, 0xffffffff, p.int(0, 0xffffffff)]);
const u16 = (p: Prng): number => p.int(0, 0xffff);
const dar = (p: Prng): number => p.pick([0, 1, 2, 3, 4, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 250]);

function selection(p: Prng): AccessSelection | undefined {
  return p.bool() ? { selector: p.int(0, 255), parameters: randomValue(p) } : undefined;
}

function attribute(p: Prng): AttributeWithSelection {
  const base = { classId: u16(p), instanceId: obis(p), attributeId: p.int(-128, 127) };
  const s = selection(p);
  return s === undefined ? base : { ...base, accessSelection: s };
}

function method(p: Prng): CosemMethodDescriptor {
  return { classId: u16(p), instanceId: obis(p), methodId: p.int(-128, 127) };
}

function block(p: Prng): DataBlockSA {
  return { lastBlock: p.bool(), blockNumber: u32(p), rawData: p.payload() };
}

function getDataResult(p: Prng): GetDataResult {
  return p.bool() ? { kind: 'data', data: randomValue(p) } : { kind: 'data-access-result', result: dar(p) };
}

function many<T>(p: Prng, max: number, f: (p: Prng) => T): T[] {
  return Array.from({ length: p.int(0, max) }, () => f(p));
}

function optional<K extends string, T>(p: Prng, key: K, f: () => T): { [P in K]?: T } {
  return (p.bool() ? { [key]: f() } : {}) as { [P in K]?: T };
}

const CONTEXTS: readonly ApplicationContextName[] = ['logical-name', 'short-name', 'logical-name-ciphered', 'short-name-ciphered'];
const MECHANISMS: readonly MechanismName[] = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256', 'high-ecdsa'];
const int32 = (p: Prng): number => p.pick([0, 1, -1, 127, 128, -129, 65536, 0x7fffffff, -0x80000000]);

function variable(p: Prng): VariableAccess {
  switch (p.int(0, 4)) {
    case 0:
      return { kind: 'variable-name', variableName: u16(p) };
    case 1:
      return { kind: 'parameterized-access', variableName: u16(p), selector: p.int(0, 255), parameter: randomValue(p) };
    case 2:
      return { kind: 'block-number-access', blockNumber: u16(p) };
    case 3:
      return { kind: 'read-data-block-access', lastBlock: p.bool(), blockNumber: u16(p), rawData: p.bytes(40) };
    default:
      return { kind: 'write-data-block-access', lastBlock: p.bool(), blockNumber: u16(p) };
  }
}

function readResult(p: Prng): ReadResult {
  switch (p.int(0, 3)) {
    case 0:
      return { kind: 'data', data: randomValue(p) };
    case 1:
      return { kind: 'data-access-error', result: dar(p) };
    case 2:
      return { kind: 'data-block-result', lastBlock: p.bool(), blockNumber: u16(p), rawData: p.bytes(40) };
    default:
      return { kind: 'block-number', blockNumber: u16(p) };
  }
}

function writeResult(p: Prng): WriteResult {
  switch (p.int(0, 2)) {
    case 0:
      return { kind: 'success' };
    case 1:
      return { kind: 'data-access-error', result: dar(p) };
    default:
      return { kind: 'block-number', blockNumber: u16(p) };
  }
}

const GENERATORS: { readonly [K in ApduKind]: (p: Prng) => Extract<Apdu, { kind: K }> } = {
  aarq: (p) => ({
    kind: 'aarq',
    ...optional(p, 'protocolVersion', () => p.pick(['1', '0', '10101010101'])),
    applicationContextName: p.pick(CONTEXTS),
    ...optional(p, 'calledApTitle', () => p.bytes(8)),
    ...optional(p, 'calledAeQualifier', () => p.bytes(8)),
    ...optional(p, 'calledApInvocationId', () => int32(p)),
    ...optional(p, 'calledAeInvocationId', () => int32(p)),
    ...optional(p, 'callingApTitle', () => p.bytes(8)),
    ...optional(p, 'callingAeQualifier', () => p.payload()),
    ...optional(p, 'callingApInvocationId', () => int32(p)),
    ...optional(p, 'callingAeInvocationId', () => int32(p)),
    ...optional(p, 'acseRequirements', () => ({ authentication: p.bool() })),
    ...optional(p, 'mechanismName', () => p.pick(MECHANISMS)),
    ...optional(p, 'callingAuthenticationValue', () => p.bytes(64)),
    ...optional(p, 'implementationInformation', () => p.bytes(10)),
    ...optional(p, 'userInformation', () => p.payload()),
  }),
  aare: (p) => ({
    kind: 'aare',
    ...optional(p, 'protocolVersion', () => '1'),
    applicationContextName: p.pick(CONTEXTS),
    result: p.int(0, 2),
    resultSourceDiagnostic: { source: p.pick(['acse-service-user', 'acse-service-provider'] as const), diagnostic: p.int(0, 14) },
    ...optional(p, 'respondingApTitle', () => p.bytes(8)),
    ...optional(p, 'respondingAeQualifier', () => p.bytes(8)),
    ...optional(p, 'respondingApInvocationId', () => int32(p)),
    ...optional(p, 'respondingAeInvocationId', () => int32(p)),
    ...optional(p, 'responderAcseRequirements', () => ({ authentication: p.bool() })),
    ...optional(p, 'mechanismName', () => p.pick(MECHANISMS)),
    ...optional(p, 'respondingAuthenticationValue', () => p.bytes(64)),
    ...optional(p, 'implementationInformation', () => p.bytes(10)),
    ...optional(p, 'userInformation', () => p.payload()),
  }),
  rlrq: (p) => ({ kind: 'rlrq', ...optional(p, 'reason', () => p.pick([0, 1, 30])), ...optional(p, 'userInformation', () => p.bytes(40)) }),
  rlre: (p) => ({ kind: 'rlre', ...optional(p, 'reason', () => p.pick([0, 1, 30])), ...optional(p, 'userInformation', () => p.bytes(40)) }),
  'initiate-request': (p) => ({
    kind: 'initiate-request',
    ...optional(p, 'dedicatedKey', () => p.bytes(32)),
    ...optional(p, 'responseAllowed', () => p.bool()),
    ...optional(p, 'proposedQualityOfService', () => p.int(-128, 127)),
    proposedDlmsVersionNumber: p.int(0, 255),
    proposedConformance: p.int(0, 0xffffff),
    clientMaxReceivePduSize: u16(p),
  }),
  'initiate-response': (p) => ({
    kind: 'initiate-response',
    ...optional(p, 'negotiatedQualityOfService', () => p.int(-128, 127)),
    negotiatedDlmsVersionNumber: p.int(0, 255),
    negotiatedConformance: p.int(0, 0xffffff),
    serverMaxReceivePduSize: u16(p),
    vaaName: p.pick([0x0007, 0xfa00]),
  }),
  'confirmed-service-error': (p) => ({
    kind: 'confirmed-service-error',
    service: p.pick(CONFIRMED_SERVICES),
    errorType: p.pick(SERVICE_ERRORS),
    error: p.int(0, 255),
  }),
  'get-request-normal': (p) => ({ kind: 'get-request-normal', invokeIdAndPriority: invoke(p), ...attribute(p) }),
  'get-request-next': (p) => ({ kind: 'get-request-next', invokeIdAndPriority: invoke(p), blockNumber: u32(p) }),
  'get-request-with-list': (p) => ({ kind: 'get-request-with-list', invokeIdAndPriority: invoke(p), attributes: many(p, 4, attribute) }),
  'get-response-normal': (p) => ({ kind: 'get-response-normal', invokeIdAndPriority: invoke(p), result: getDataResult(p) }),
  'get-response-with-datablock': (p) => ({
    kind: 'get-response-with-datablock',
    invokeIdAndPriority: invoke(p),
    lastBlock: p.bool(),
    blockNumber: u32(p),
    result: p.bool() ? { kind: 'raw-data', rawData: p.payload() } : { kind: 'data-access-result', result: dar(p) },
  }),
  'get-response-with-list': (p) => ({ kind: 'get-response-with-list', invokeIdAndPriority: invoke(p), results: many(p, 4, getDataResult) }),
  'set-request-normal': (p) => ({ kind: 'set-request-normal', invokeIdAndPriority: invoke(p), ...attribute(p), value: randomValue(p) }),
  'set-request-with-first-datablock': (p) => ({
    kind: 'set-request-with-first-datablock',
    invokeIdAndPriority: invoke(p),
    ...attribute(p),
    datablock: block(p),
  }),
  'set-request-with-datablock': (p) => ({ kind: 'set-request-with-datablock', invokeIdAndPriority: invoke(p), datablock: block(p) }),
  'set-request-with-list': (p) => ({
    kind: 'set-request-with-list',
    invokeIdAndPriority: invoke(p),
    attributes: many(p, 3, attribute),
    values: many(p, 3, (q) => randomValue(q)),
  }),
  'set-request-with-list-and-first-datablock': (p) => ({
    kind: 'set-request-with-list-and-first-datablock',
    invokeIdAndPriority: invoke(p),
    attributes: many(p, 3, attribute),
    datablock: block(p),
  }),
  'set-response-normal': (p) => ({ kind: 'set-response-normal', invokeIdAndPriority: invoke(p), result: dar(p) }),
  'set-response-datablock': (p) => ({ kind: 'set-response-datablock', invokeIdAndPriority: invoke(p), blockNumber: u32(p) }),
  'set-response-last-datablock': (p) => ({ kind: 'set-response-last-datablock', invokeIdAndPriority: invoke(p), result: dar(p), blockNumber: u32(p) }),
  'set-response-last-datablock-with-list': (p) => ({
    kind: 'set-response-last-datablock-with-list',
    invokeIdAndPriority: invoke(p),
    results: many(p, 5, dar),
    blockNumber: u32(p),
  }),
  'set-response-with-list': (p) => ({ kind: 'set-response-with-list', invokeIdAndPriority: invoke(p), results: many(p, 5, dar) }),
  'action-request-normal': (p) => ({
    kind: 'action-request-normal',
    invokeIdAndPriority: invoke(p),
    ...method(p),
    ...optional(p, 'methodInvocationParameters', () => randomValue(p)),
  }),
  'action-request-next-pblock': (p) => ({ kind: 'action-request-next-pblock', invokeIdAndPriority: invoke(p), blockNumber: u32(p) }),
  'action-request-with-list': (p) => ({
    kind: 'action-request-with-list',
    invokeIdAndPriority: invoke(p),
    methods: many(p, 3, method),
    methodInvocationParameters: many(p, 3, (q) => randomValue(q)),
  }),
  'action-request-with-first-pblock': (p) => ({ kind: 'action-request-with-first-pblock', invokeIdAndPriority: invoke(p), ...method(p), pblock: block(p) }),
  'action-request-with-list-and-first-pblock': (p) => ({
    kind: 'action-request-with-list-and-first-pblock',
    invokeIdAndPriority: invoke(p),
    methods: many(p, 3, method),
    pblock: block(p),
  }),
  'action-request-with-pblock': (p) => ({ kind: 'action-request-with-pblock', invokeIdAndPriority: invoke(p), pblock: block(p) }),
  'action-response-normal': (p) => ({
    kind: 'action-response-normal',
    invokeIdAndPriority: invoke(p),
    result: dar(p),
    ...optional(p, 'returnParameters', () => getDataResult(p)),
  }),
  'action-response-with-pblock': (p) => ({ kind: 'action-response-with-pblock', invokeIdAndPriority: invoke(p), pblock: block(p) }),
  'action-response-with-list': (p) => ({
    kind: 'action-response-with-list',
    invokeIdAndPriority: invoke(p),
    responses: many(p, 3, (q) => ({ result: dar(q), ...optional(q, 'returnParameters', () => getDataResult(q)) })),
  }),
  'action-response-next-pblock': (p) => ({ kind: 'action-response-next-pblock', invokeIdAndPriority: invoke(p), blockNumber: u32(p) }),
  'exception-response': (p) => ({
    kind: 'exception-response',
    stateError: p.int(1, 2),
    serviceError: p.pick([
      { kind: 'operation-not-possible' },
      { kind: 'service-not-supported' },
      { kind: 'other-reason' },
      { kind: 'pdu-too-long' },
      { kind: 'deciphering-error' },
      { kind: 'invocation-counter-error', invocationCounter: u32(p) },
    ] as const),
  }),
  'general-block-transfer': (p) => ({
    kind: 'general-block-transfer',
    lastBlock: p.bool(),
    streaming: p.bool(),
    windowSize: p.int(0, 63),
    blockNumber: u16(p),
    blockNumberAcknowledged: u16(p),
    blockData: p.payload(),
  }),
  'event-notification-request': (p) => ({
    kind: 'event-notification-request',
    ...optional(p, 'time', () => p.bytes(12)),
    classId: u16(p),
    instanceId: obis(p),
    attributeId: p.int(-128, 127),
    value: randomValue(p),
  }),
  'data-notification': (p) => ({
    kind: 'data-notification',
    longInvokeIdAndPriority: u32(p),
    dateTime: p.pick([new Uint8Array(0), p.bytes(12)]),
    notificationBody: randomValue(p),
  }),
  'read-request': (p) => ({ kind: 'read-request', variables: many(p, 4, variable) }),
  'read-response': (p) => ({ kind: 'read-response', results: many(p, 4, readResult) }),
  'write-request': (p) => ({ kind: 'write-request', variables: many(p, 3, variable), values: many(p, 3, (q) => randomValue(q)) }),
  'write-response': (p) => ({ kind: 'write-response', results: many(p, 4, writeResult) }),
  'unconfirmed-write-request': (p) => ({
    kind: 'unconfirmed-write-request',
    variables: many(p, 3, variable),
    values: many(p, 3, (q) => randomValue(q)),
  }),
};

export const APDU_KINDS = Object.keys(GENERATORS) as ApduKind[];

export function randomApdu(p: Prng, kind: ApduKind): Apdu {
  return GENERATORS[kind](p);
}

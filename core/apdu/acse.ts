/**
 * ACSE APDUs as DLMS uses them (IEC 62056-5-3 / Green Book): AARQ (0x60), AARE (0x61),
 * RLRQ (0x62), RLRE (0x63), BER-encoded. Each APDU is described by one table of its fields in
 * standard order; decoding accepts the fields in any order (once each), encoding writes them in
 * table order, so a standard-order APDU re-encodes byte for byte.
 */
import { ByteReader, ByteWriter } from '../bytes.js';
import { DecodeError, InputError } from '../errors.js';
import {
  build,
  decodeBitString,
  decodeInteger,
  decodeOid,
  encodeBitString,
  encodeInteger,
  encodeOid,
  expectEnd,
  expectTlv,
  hex2,
  readTlv,
  writeTlv,
} from './ber.js';
import {
  decodeConfirmedServiceError,
  decodeInitiateRequest,
  decodeInitiateResponse,
  encodeConfirmedServiceError,
  encodeInitiateRequest,
  encodeInitiateResponse,
  TAG_CONFIRMED_SERVICE_ERROR,
  TAG_INITIATE_REQUEST,
  TAG_INITIATE_RESPONSE,
} from './initiate.js';
import type {
  Aare,
  Aarq,
  AcseApdu,
  AcseRequirements,
  ApplicationContextName,
  InitiateApdu,
  MechanismName,
  ResultSourceDiagnostic,
  Rlre,
  Rlrq,
} from './types.js';

export const TAG_AARQ = 0x60;
export const TAG_AARE = 0x61;
export const TAG_RLRQ = 0x62;
export const TAG_RLRE = 0x63;

// ---------------------------------------------------------------- object identifiers

/** 2.16.756.5.8: joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8). */
const DLMS_UA = [2, 16, 756, 5, 8] as const;
const APPLICATION_CONTEXT_ARC = 1;
const MECHANISM_ARC = 2;

/** application-context-name id (last arc) by name. */
export const APPLICATION_CONTEXTS: Readonly<Record<ApplicationContextName, number>> = {
  'logical-name': 1,
  'short-name': 2,
  'logical-name-ciphered': 3,
  'short-name-ciphered': 4,
};

/** mechanism-name id (last arc) by name. */
export const MECHANISMS: Readonly<Record<MechanismName, number>> = {
  none: 0,
  low: 1,
  high: 2,
  'high-md5': 3,
  'high-sha1': 4,
  'high-gmac': 5,
  'high-sha256': 6,
  'high-ecdsa': 7,
};

function nameById<N extends string>(table: Readonly<Record<N, number>>, id: number): N | undefined {
  for (const name of Object.keys(table) as N[]) if (table[name] === id) return name;
  return undefined;
}

function readDlmsOid<N extends string>(r: ByteReader, what: string, arc: number, table: Readonly<Record<N, number>>): N {
  const at = r.offset;
  const arcs = decodeOid(r, what);
  const id = arcs[DLMS_UA.length + 1];
  const isDlms = arcs.length === DLMS_UA.length + 2 && DLMS_UA.every((a, i) => arcs[i] === a) && arcs[DLMS_UA.length] === arc;
  const name = isDlms && id !== undefined ? nameById(table, id) : undefined;
  if (name === undefined) {
    const known = Object.entries(table)
      .map(([n, v]) => `${v} ${n}`)
      .join(', ');
    throw new DecodeError(`${what} ${arcs.join('.')} is not one DLMS defines (${DLMS_UA.join('.')}.${arc}.x with x = ${known})`, at, 'unknown-oid');
  }
  return name;
}

function dlmsOid<N extends string>(field: string, arc: number, table: Readonly<Record<N, number>>, name: N): Uint8Array {
  const id = table[name];
  if (id === undefined) throw new InputError(field, name, `must be one of ${Object.keys(table).join(', ')}`);
  return encodeOid([...DLMS_UA, arc, id]);
}

// ---------------------------------------------------------------- field codecs

/** How one ACSE field's content octets (inside its own tag and length) read and write. */
interface FieldCodec<T> {
  read(r: ByteReader, what: string): T;
  write(value: T, field: string): Uint8Array;
}

const bitString: FieldCodec<string> = {
  read: (r, what) => decodeBitString(r, what),
  write: (v, field) => encodeBitString(v, field),
};

/** AP-title / AE-qualifier: DLMS carries them as an OCTET STRING inside the explicit tag. */
const explicitOctetString: FieldCodec<Uint8Array> = {
  read: (r, what) => {
    const content = expectTlv(r, 0x04, `${what} (an OCTET STRING)`);
    return content.copy(content.remaining, what);
  },
  write: (v) => build((w) => writeTlv(w, 0x04, v)),
};

const explicitInteger: FieldCodec<number> = {
  read: (r, what) => decodeInteger(expectTlv(r, 0x02, `${what} (an INTEGER)`), what),
  write: (v, field) => build((w) => writeTlv(w, 0x02, encodeInteger(v, field))),
};

const implicitInteger: FieldCodec<number> = {
  read: (r, what) => decodeInteger(r, what),
  write: (v, field) => encodeInteger(v, field),
};

const implicitOctets: FieldCodec<Uint8Array> = {
  read: (r, what) => r.copy(r.remaining, what),
  write: (v) => v,
};

const applicationContext: FieldCodec<ApplicationContextName> = {
  read: (r, what) => readDlmsOid(expectTlv(r, 0x06, `${what} (an OBJECT IDENTIFIER)`), what, APPLICATION_CONTEXT_ARC, APPLICATION_CONTEXTS),
  write: (v, field) => build((w) => writeTlv(w, 0x06, dlmsOid(field, APPLICATION_CONTEXT_ARC, APPLICATION_CONTEXTS, v))),
};

const mechanism: FieldCodec<MechanismName> = {
  read: (r, what) => readDlmsOid(r, what, MECHANISM_ARC, MECHANISMS),
  write: (v, field) => dlmsOid(field, MECHANISM_ARC, MECHANISMS, v),
};

/** Only bit 0 (authentication) is defined; it travels as a one-bit BIT STRING. */
const acseRequirements: FieldCodec<AcseRequirements> = {
  read: (r, what) => ({ authentication: decodeBitString(r, what).startsWith('1') }),
  write: (v, field) => encodeBitString(v.authentication ? '1' : '0', field),
};

/** Authentication-value CHOICE: DLMS uses charstring [0] (password, or challenge). */
const authenticationValue: FieldCodec<Uint8Array> = {
  read: (r, what) => {
    const content = expectTlv(r, 0x80, `${what} (charstring [0])`);
    return content.copy(content.remaining, what);
  },
  write: (v) => build((w) => writeTlv(w, 0x80, v)),
};

/** Association-result [2]: an explicit INTEGER 0..2. */
const associationResult: FieldCodec<number> = {
  read: (r, what) => {
    const at = r.offset;
    const v = explicitInteger.read(r, what);
    if (v < 0 || v > 2) {
      throw new DecodeError(`${what} is ${v}; 0 accepted, 1 rejected-permanent, 2 rejected-transient`, at, 'bad-enum');
    }
    return v;
  },
  write: (v, field) => {
    if (v !== 0 && v !== 1 && v !== 2) throw new InputError(field, v, 'must be 0 (accepted), 1 (rejected-permanent) or 2 (rejected-transient)');
    return explicitInteger.write(v, field);
  },
};

const resultSourceDiagnostic: FieldCodec<ResultSourceDiagnostic> = {
  read: (r, what) => {
    const tlv = readTlv(r, what);
    let source: ResultSourceDiagnostic['source'];
    if (tlv.tag === 0xa1) source = 'acse-service-user';
    else if (tlv.tag === 0xa2) source = 'acse-service-provider';
    else
      throw new DecodeError(`${what} has choice tag 0x${hex2(tlv.tag)}; a1 (acse-service-user) or a2 (acse-service-provider) expected`, tlv.at, 'unknown-tag');
    const diagnostic = explicitInteger.read(tlv.content, `${what} ${source}`);
    expectEnd(tlv.content, what);
    return { source, diagnostic };
  },
  write: (v, field) => {
    const tag = v.source === 'acse-service-user' ? 0xa1 : v.source === 'acse-service-provider' ? 0xa2 : undefined;
    if (tag === undefined) throw new InputError(`${field}.source`, v.source, "must be 'acse-service-user' or 'acse-service-provider'");
    return build((w) => writeTlv(w, tag, explicitInteger.write(v.diagnostic, `${field}.diagnostic`)));
  },
};

// ---------------------------------------------------------------- field tables

interface FieldSpec<A> {
  readonly tag: number;
  readonly key: Exclude<keyof A, 'kind'> & string;
  /** The standard's name for messages. */
  readonly name: string;
  readonly codec: FieldCodec<never>;
  readonly required?: boolean;
}

function field<A, K extends Exclude<keyof A, 'kind'> & string>(
  tag: number,
  key: K,
  name: string,
  codec: FieldCodec<NonNullable<A[K]>>,
  required = false,
): FieldSpec<A> {
  return { tag, key, name, codec: codec as FieldCodec<never>, required };
}

const USER_INFORMATION_NAME = 'user-information [30]';

const AARQ_FIELDS: readonly FieldSpec<Aarq>[] = [
  field<Aarq, 'protocolVersion'>(0x80, 'protocolVersion', 'protocol-version [0]', bitString),
  field<Aarq, 'applicationContextName'>(0xa1, 'applicationContextName', 'application-context-name [1]', applicationContext, true),
  field<Aarq, 'calledApTitle'>(0xa2, 'calledApTitle', 'called-AP-title [2]', explicitOctetString),
  field<Aarq, 'calledAeQualifier'>(0xa3, 'calledAeQualifier', 'called-AE-qualifier [3]', explicitOctetString),
  field<Aarq, 'calledApInvocationId'>(0xa4, 'calledApInvocationId', 'called-AP-invocation-id [4]', explicitInteger),
  field<Aarq, 'calledAeInvocationId'>(0xa5, 'calledAeInvocationId', 'called-AE-invocation-id [5]', explicitInteger),
  field<Aarq, 'callingApTitle'>(0xa6, 'callingApTitle', 'calling-AP-title [6]', explicitOctetString),
  field<Aarq, 'callingAeQualifier'>(0xa7, 'callingAeQualifier', 'calling-AE-qualifier [7]', explicitOctetString),
  field<Aarq, 'callingApInvocationId'>(0xa8, 'callingApInvocationId', 'calling-AP-invocation-id [8]', explicitInteger),
  field<Aarq, 'callingAeInvocationId'>(0xa9, 'callingAeInvocationId', 'calling-AE-invocation-id [9]', explicitInteger),
  field<Aarq, 'acseRequirements'>(0x8a, 'acseRequirements', 'sender-acse-requirements [10]', acseRequirements),
  field<Aarq, 'mechanismName'>(0x8b, 'mechanismName', 'mechanism-name [11]', mechanism),
  field<Aarq, 'callingAuthenticationValue'>(0xac, 'callingAuthenticationValue', 'calling-authentication-value [12]', authenticationValue),
  field<Aarq, 'implementationInformation'>(0x9d, 'implementationInformation', 'implementation-information [29]', implicitOctets),
  field<Aarq, 'userInformation'>(0xbe, 'userInformation', USER_INFORMATION_NAME, explicitOctetString),
];

const AARE_FIELDS: readonly FieldSpec<Aare>[] = [
  field<Aare, 'protocolVersion'>(0x80, 'protocolVersion', 'protocol-version [0]', bitString),
  field<Aare, 'applicationContextName'>(0xa1, 'applicationContextName', 'application-context-name [1]', applicationContext, true),
  field<Aare, 'result'>(0xa2, 'result', 'result [2]', associationResult, true),
  field<Aare, 'resultSourceDiagnostic'>(0xa3, 'resultSourceDiagnostic', 'result-source-diagnostic [3]', resultSourceDiagnostic, true),
  field<Aare, 'respondingApTitle'>(0xa4, 'respondingApTitle', 'responding-AP-title [4]', explicitOctetString),
  field<Aare, 'respondingAeQualifier'>(0xa5, 'respondingAeQualifier', 'responding-AE-qualifier [5]', explicitOctetString),
  field<Aare, 'respondingApInvocationId'>(0xa6, 'respondingApInvocationId', 'responding-AP-invocation-id [6]', explicitInteger),
  field<Aare, 'respondingAeInvocationId'>(0xa7, 'respondingAeInvocationId', 'responding-AE-invocation-id [7]', explicitInteger),
  field<Aare, 'responderAcseRequirements'>(0x88, 'responderAcseRequirements', 'responder-acse-requirements [8]', acseRequirements),
  field<Aare, 'mechanismName'>(0x89, 'mechanismName', 'mechanism-name [9]', mechanism),
  field<Aare, 'respondingAuthenticationValue'>(0xaa, 'respondingAuthenticationValue', 'responding-authentication-value [10]', authenticationValue),
  field<Aare, 'implementationInformation'>(0x9d, 'implementationInformation', 'implementation-information [29]', implicitOctets),
  field<Aare, 'userInformation'>(0xbe, 'userInformation', USER_INFORMATION_NAME, explicitOctetString),
];

const RLRQ_FIELDS: readonly FieldSpec<Rlrq>[] = [
  field<Rlrq, 'reason'>(0x80, 'reason', 'reason [0]', implicitInteger),
  field<Rlrq, 'userInformation'>(0xbe, 'userInformation', USER_INFORMATION_NAME, explicitOctetString),
];

const RLRE_FIELDS: readonly FieldSpec<Rlre>[] = [
  field<Rlre, 'reason'>(0x80, 'reason', 'reason [0]', implicitInteger),
  field<Rlre, 'userInformation'>(0xbe, 'userInformation', USER_INFORMATION_NAME, explicitOctetString),
];

// ---------------------------------------------------------------- generic decode / encode

function decodeFields<A extends AcseApdu>(r: ByteReader, apduName: string, kind: A['kind'], fields: readonly FieldSpec<A>[]): A {
  const body = r.sub(r.berLength(`${apduName} length`), apduName);
  const out: Record<string, unknown> = { kind };
  while (!body.atEnd) {
    const tlv = readTlv(body, `${apduName} field`);
    const spec = fields.find((f) => f.tag === tlv.tag);
    if (spec === undefined) {
      const allowed = fields.map((f) => `${hex2(f.tag)} ${f.name}`).join(', ');
      throw new DecodeError(`${apduName} has an unknown field tag 0x${hex2(tlv.tag)} (allowed: ${allowed})`, tlv.at, 'unknown-tag');
    }
    if (out[spec.key] !== undefined) {
      throw new DecodeError(`${apduName} carries ${spec.name} twice`, tlv.at, 'duplicate-field');
    }
    out[spec.key] = (spec.codec as FieldCodec<unknown>).read(tlv.content, spec.name);
    expectEnd(tlv.content, spec.name);
  }
  for (const spec of fields) {
    if (spec.required && out[spec.key] === undefined) {
      throw new DecodeError(`${apduName} lacks ${spec.name}`, body.offset, 'missing-field');
    }
  }
  return out as A;
}

function encodeFields<A extends AcseApdu>(w: ByteWriter, tag: number, apdu: A, fields: readonly FieldSpec<A>[]): void {
  const body = new ByteWriter(128);
  const values = apdu as unknown as Record<string, unknown>;
  for (const spec of fields) {
    const value = values[spec.key];
    if (value === undefined) {
      if (spec.required) throw new InputError(spec.key, value, `${spec.name} is required in ${apdu.kind.toUpperCase()}`);
      continue;
    }
    writeTlv(body, spec.tag, (spec.codec as FieldCodec<unknown>).write(value, spec.key));
  }
  writeTlv(w, tag, body.finish());
}

export function decodeAarq(r: ByteReader): Aarq {
  return decodeFields<Aarq>(r, 'AARQ', 'aarq', AARQ_FIELDS);
}

export function decodeAare(r: ByteReader): Aare {
  return decodeFields<Aare>(r, 'AARE', 'aare', AARE_FIELDS);
}

export function decodeRlrq(r: ByteReader): Rlrq {
  return decodeFields<Rlrq>(r, 'RLRQ', 'rlrq', RLRQ_FIELDS);
}

export function decodeRlre(r: ByteReader): Rlre {
  return decodeFields<Rlre>(r, 'RLRE', 'rlre', RLRE_FIELDS);
}

export function encodeAcse(w: ByteWriter, a: AcseApdu): void {
  switch (a.kind) {
    case 'aarq':
      encodeFields(w, TAG_AARQ, a, AARQ_FIELDS);
      return;
    case 'aare':
      encodeFields(w, TAG_AARE, a, AARE_FIELDS);
      return;
    case 'rlrq':
      encodeFields(w, TAG_RLRQ, a, RLRQ_FIELDS);
      return;
    case 'rlre':
      encodeFields(w, TAG_RLRE, a, RLRE_FIELDS);
      return;
    default: {
      const never: never = a;
      throw new TypeError(`not an ACSE APDU: ${(never as AcseApdu).kind}`);
    }
  }
}

// ---------------------------------------------------------------- user-information content

/** A ciphered xDLMS APDU inside user-information, kept as bytes until the security layer deciphers it. */
export interface CipheredUserInformation {
  readonly kind: 'ciphered-user-information';
  readonly tag: number;
  /** e.g. 'glo-initiate-request'. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type UserInformation = InitiateApdu | CipheredUserInformation;

/** Tags of the ciphered APDUs that can sit in user-information (and elsewhere), by name. */
export const CIPHERED_APDU_NAMES: ReadonlyMap<number, string> = new Map([
  [0x21, 'glo-initiate-request'],
  [0x25, 'glo-read-request'],
  [0x26, 'glo-write-request'],
  [0x28, 'glo-initiate-response'],
  [0x2c, 'glo-read-response'],
  [0x2d, 'glo-write-response'],
  [0x2e, 'glo-confirmed-service-error'],
  [0x36, 'glo-unconfirmed-write-request'],
  [0x38, 'glo-information-report-request'],
  [0x41, 'ded-initiate-request'],
  [0x45, 'ded-read-request'],
  [0x46, 'ded-write-request'],
  [0x48, 'ded-initiate-response'],
  [0x4c, 'ded-read-response'],
  [0x4d, 'ded-write-response'],
  [0x4e, 'ded-confirmed-service-error'],
  [0x56, 'ded-unconfirmed-write-request'],
  [0x58, 'ded-information-report-request'],
  [0xc8, 'glo-get-request'],
  [0xc9, 'glo-set-request'],
  [0xca, 'glo-event-notification-request'],
  [0xcb, 'glo-action-request'],
  [0xcc, 'glo-get-response'],
  [0xcd, 'glo-set-response'],
  [0xcf, 'glo-action-response'],
  [0xd0, 'ded-get-request'],
  [0xd1, 'ded-set-request'],
  [0xd2, 'ded-event-notification-request'],
  [0xd3, 'ded-action-request'],
  [0xd4, 'ded-get-response'],
  [0xd5, 'ded-set-response'],
  [0xd7, 'ded-action-response'],
  [0xdb, 'general-glo-ciphering'],
  [0xdc, 'general-ded-ciphering'],
  [0xdd, 'general-ciphering'],
  [0xdf, 'general-signing'],
]);

/**
 * What the user-information of an AARQ/AARE/RLRQ/RLRE holds: a plain InitiateRequest,
 * InitiateResponse or ConfirmedServiceError, or a ciphered APDU kept as bytes.
 */
export function decodeUserInformation(bytes: Uint8Array): UserInformation {
  const r = new ByteReader(bytes);
  const tag = r.u8('user-information xDLMS tag');
  let out: UserInformation;
  if (tag === TAG_INITIATE_REQUEST) out = decodeInitiateRequest(r);
  else if (tag === TAG_INITIATE_RESPONSE) out = decodeInitiateResponse(r);
  else if (tag === TAG_CONFIRMED_SERVICE_ERROR) out = decodeConfirmedServiceError(r);
  else {
    const name = CIPHERED_APDU_NAMES.get(tag);
    if (name === undefined) {
      throw new DecodeError(
        `user-information holds xDLMS tag 0x${hex2(tag)}; an InitiateRequest (01), InitiateResponse (08), ConfirmedServiceError (0e) or a ciphered one ` +
          `is expected`,
        0,
        'unknown-tag',
      );
    }
    return { kind: 'ciphered-user-information', tag, name, bytes: bytes.slice() };
  }
  expectEnd(r, 'the user-information xDLMS APDU');
  return out;
}

/** The bytes to put in user-information for a plain xDLMS initiate APDU. */
export function encodeUserInformation(apdu: InitiateApdu): Uint8Array {
  const w = new ByteWriter(32);
  switch (apdu.kind) {
    case 'initiate-request':
      encodeInitiateRequest(w, apdu);
      break;
    case 'initiate-response':
      encodeInitiateResponse(w, apdu);
      break;
    case 'confirmed-service-error':
      encodeConfirmedServiceError(w, apdu);
      break;
    default: {
      const never: never = apdu;
      throw new TypeError(`not an xDLMS initiate APDU: ${(never as InitiateApdu).kind}`);
    }
  }
  return w.finish();
}

/**
 * The association objects: Association LN (class 15) at 0-0:40.0.0.255 for logical-name clients
 * and Association SN (class 12) for short-name clients. Both describe the association a request
 * arrives on: the objects it may see with its access rights, the partners, the negotiated context.
 */
import { encodeDataBytes } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import { APPLICATION_CONTEXTS, MECHANISMS } from '../apdu/acse.js';
import type { MeterState } from './meter-state.js';
import {
  ActionResult,
  DataAccessResult,
  EncodedData,
  MANAGEMENT_WRITE,
  defineObject,
  lockedMethod,
  readOnly,
  type AttributeAccess,
  type ClientRole,
  type CosemObject,
  type MethodDef,
} from './object-model.js';
import { usesSecret } from './security-config.js';
import { array, bits, enm, i16, i8, lnValue, nul, octets, struct, u16, u8, visible } from './values.js';

export const ASSOCIATION_OBIS = '0-0:40.0.0.255';
export const SECURITY_SETUP_OBIS = '0-0:43.0.0.255';

/** The objects an association can list, with their SN base names (0 for an LN-only view). */
export interface ListedObject {
  readonly object: CosemObject;
  readonly baseName: number;
}

const ACCESS_MODE: Readonly<Record<AttributeAccess, number>> = { none: 0, read: 1, write: 2, 'read-write': 3 };

/** BER object identifiers 2.16.756.5.8.{1|2}.x as their contents octets. */
function dlmsOid(arc: number, id: number): Uint8Array {
  return Uint8Array.of(0x60, 0x85, 0x74, 0x05, 0x08, arc, id);
}

function attributeAccess(object: CosemObject, role: ClientRole): DlmsValue {
  return array(
    object.attributes.map((a) => struct(i8(a.id), enm(ACCESS_MODE[a.access[role]]), a.selectors === undefined ? nul : array(a.selectors.map((s) => i8(s))))),
  );
}

function methodAccess(object: CosemObject, role: ClientRole): DlmsValue {
  return array(object.methods.map((m) => struct(i8(m.id), enm(m.access[role] ? 1 : 0))));
}

/** An SN base name travels as `long` (Integer16). */
function baseNameValue(baseName: number): DlmsValue {
  return i16(baseName > 0x7fff ? baseName - 0x10000 : baseName);
}

/**
 * HLS pass 3: the client sends f(StoC); the meter answers f(CtoS) when it verifies. Every client
 * that authenticates may call it, and it is the only thing a pending association may do.
 */
function replyToHlsAuthentication(id: number): MethodDef {
  return {
    id,
    name: 'reply_to_HLS_authentication',
    access: { public: true, management: true },
    beforeAuthentication: true,
    invoke: (ctx, parameters) => {
      const answer = ctx.replyToHls?.(parameters?.type === 'octet-string' ? parameters.value : null) ?? null;
      // Meters answer a failed proof with read-write-denied and say no more.
      return answer === null ? { result: ActionResult.readWriteDenied } : { result: ActionResult.success, returnValue: octets(answer) };
    },
  };
}

/** association_status: 1 association-pending (HLS pass 3 still due), 2 associated. */
function associationStatus(status: 'pending' | 'associated'): DlmsValue {
  return enm(status === 'pending' ? 1 : 2);
}

/** A value built and encoded once per client role: the object lists do not change while the meter runs. */
function encodedPerRole(build: (role: ClientRole) => DlmsValue): (role: ClientRole) => EncodedData {
  const cache = new Map<ClientRole, EncodedData>();
  return (role) => {
    let hit = cache.get(role);
    if (hit === undefined) {
      hit = new EncodedData(encodeDataBytes(build(role)));
      cache.set(role, hit);
    }
    return hit;
  };
}

export function associationLnObject(state: MeterState, listed: () => readonly ListedObject[]): CosemObject {
  const objectList = encodedPerRole((role) =>
    array(
      listed().map(({ object }) =>
        struct(u16(object.classId), u8(object.version), octets(object.logicalName), struct(attributeAccess(object, role), methodAccess(object, role))),
      ),
    ),
  );
  return defineObject({
    classId: 15,
    version: 2,
    obis: ASSOCIATION_OBIS,
    description: 'Current association (logical name referencing)',
    attributes: [
      readOnly(2, 'object_list', (ctx) => objectList(ctx.association.role)),
      readOnly(3, 'associated_partners_id', (ctx) => struct(i8(ctx.association.clientAddress), u16(ctx.association.serverAddress))),
      readOnly(4, 'application_context_name', (ctx) => octets(dlmsOid(1, APPLICATION_CONTEXTS[ctx.association.applicationContext]))),
      readOnly(5, 'xDLMS_context_info', (ctx) => {
        const a = ctx.association;
        return struct(
          bits(a.conformance.toString(2).padStart(24, '0')),
          u16(a.serverMaxReceivePduSize),
          u16(a.clientMaxReceivePduSize),
          u8(a.dlmsVersion),
          i8(0),
          octets(new Uint8Array(0)),
        );
      }),
      readOnly(6, 'authentication_mechanism_name', (ctx) => octets(dlmsOid(2, MECHANISMS[ctx.association.mechanism]))),
      {
        id: 7,
        name: 'secret',
        access: MANAGEMENT_WRITE,
        read: () => ({ refused: DataAccessResult.readWriteDenied }),
        // The caller's own Low password or HLS secret; HLS-GMAC and 'none' have none to change.
        write: (ctx, v) => {
          if (!usesSecret(ctx.association.mechanism)) return DataAccessResult.readWriteDenied;
          if (v.type !== 'octet-string') return DataAccessResult.typeUnmatched;
          if (v.value.length === 0 || v.value.length > 64) return DataAccessResult.otherReason;
          state.secrets.set(ctx.association.clientAddress, v.value.slice());
          return DataAccessResult.success;
        },
      },
      readOnly(8, 'association_status', (ctx) => associationStatus(ctx.association.status)),
      readOnly(9, 'security_setup_reference', () => lnValue(SECURITY_SETUP_OBIS)),
      readOnly(10, 'user_list', () => array([])),
      readOnly(11, 'current_user', () => struct(u8(0), visible(''))),
    ],
    methods: [
      replyToHlsAuthentication(1),
      lockedMethod(2, 'change_HLS_secret'),
      lockedMethod(3, 'add_object'),
      lockedMethod(4, 'remove_object'),
      lockedMethod(5, 'add_user'),
      lockedMethod(6, 'remove_user'),
    ],
  });
}

export function associationSnObject(listed: () => readonly ListedObject[]): CosemObject {
  const objectList = encodedPerRole(() =>
    array(listed().map(({ object, baseName }) => struct(baseNameValue(baseName), u16(object.classId), u8(object.version), octets(object.logicalName)))),
  );
  const rightsList = encodedPerRole((role) =>
    array(listed().map(({ object, baseName }) => struct(baseNameValue(baseName), attributeAccess(object, role), methodAccess(object, role)))),
  );
  return defineObject({
    classId: 12,
    version: 2,
    obis: ASSOCIATION_OBIS,
    description: 'Current association (short name referencing)',
    attributes: [
      readOnly(2, 'object_list', (ctx) => objectList(ctx.association.role)),
      readOnly(3, 'access_rights_list', (ctx) => rightsList(ctx.association.role)),
      readOnly(4, 'security_setup_reference', () => lnValue(SECURITY_SETUP_OBIS)),
    ],
    methods: [
      lockedMethod(3, 'read_by_logicalname'),
      lockedMethod(4, 'get_attributes&methods'),
      lockedMethod(5, 'change_LLS_secret'),
      lockedMethod(6, 'change_HLS_secret'),
      replyToHlsAuthentication(8),
    ],
  });
}

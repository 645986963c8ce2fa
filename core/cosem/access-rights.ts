/**
 * What an association may do with each object: the access_rights of an Association LN's
 * object_list (attribute 2), per attribute and per method. The coding changed with the class
 * version: version 0 has enum 0..3 for attributes and a boolean for methods; versions 1 and 2 add
 * the authenticated modes (attribute enum 4..6, method enum 0..2); version 3 makes both bit maps
 * (bit 0 read or access, bit 1 write, bits 2..7 the protection the request and response need).
 */
import type { DlmsValue } from '../axdr/types.js';
import { formatObis, obisFromBytes, standardName } from '../obis.js';
import { attributeLabel, findCosemClass, methodName } from './classes.js';
import { className } from './class-names.js';

export interface AttributeRight {
  readonly id: number;
  /** Blue Book name, or "attribute N" for a class without a table here. */
  readonly name: string;
  /** The access_mode as the meter sent it; null when the list gives no rights. */
  readonly mode: number | null;
  /** The mode in the Blue Book's words ("read-only", "authenticated-read-and-write"); "not given" without rights. */
  readonly access: string;
  readonly read: boolean;
  readonly write: boolean;
  /** Selective access selectors the attribute allows (a profile's buffer: 1 by range, 2 by entry). */
  readonly selectors: readonly number[];
}

export interface MethodRight {
  readonly id: number;
  readonly name: string;
  readonly mode: number | null;
  readonly access: string;
  readonly call: boolean;
}

export interface ObjectRights {
  readonly obis: string;
  readonly classId: number;
  /** Blue Book name of the class ('Clock', 'PPP setup', 'Manufacturer-specific class 8193'). */
  readonly className: string;
  readonly version: number;
  /** The standard name of the OBIS code, '' when the dictionary has none. */
  readonly name: string;
  /** False when the list carries no access_rights (an SN list, a meter that leaves them out). */
  readonly rightsGiven: boolean;
  readonly attributes: readonly AttributeRight[];
  readonly methods: readonly MethodRight[];
}

const ATTRIBUTE_MODES: readonly string[] = [
  'no-access',
  'read-only',
  'write-only',
  'read-and-write',
  'authenticated-read-only',
  'authenticated-write-only',
  'authenticated-read-and-write',
];
const METHOD_MODES: readonly string[] = ['no-access', 'access', 'authenticated-access'];
/** Version 3 bits 2..7, in order (security setup version 1 names its policy bits the same). */
export const PROTECTION_BITS: readonly string[] = [
  'authenticated request',
  'encrypted request',
  'digitally signed request',
  'authenticated response',
  'encrypted response',
  'digitally signed response',
];

function num(v: DlmsValue | undefined): number | null {
  if (v === undefined) return null;
  if (v.type === 'boolean') return v.value ? 1 : 0;
  return 'value' in v && typeof v.value === 'number' ? v.value : null;
}

function protections(mode: number): string[] {
  return PROTECTION_BITS.filter((_, i) => (mode & (1 << (i + 2))) !== 0);
}

/** An attribute's access_mode in words, and whether it may be read and written. */
export function attributeAccess(mode: number, associationVersion: number): { access: string; read: boolean; write: boolean } {
  if (associationVersion >= 3) {
    const read = (mode & 1) !== 0;
    const write = (mode & 2) !== 0;
    const base = read && write ? 'read-and-write' : read ? 'read-only' : write ? 'write-only' : 'no-access';
    const extra = protections(mode);
    return { access: extra.length === 0 ? base : `${base} (${extra.join(', ')})`, read, write };
  }
  const access = ATTRIBUTE_MODES[mode] ?? `${mode} (not defined)`;
  const read = mode === 1 || mode === 3 || mode === 4 || mode === 6;
  const write = mode === 2 || mode === 3 || mode === 5 || mode === 6;
  return { access, read, write };
}

/** A method's access_mode (a boolean in version 0) in words, and whether it may be called. */
export function methodAccess(mode: number, associationVersion: number): { access: string; call: boolean } {
  if (associationVersion >= 3) {
    const call = (mode & 1) !== 0;
    const extra = protections(mode);
    const base = call ? 'access' : 'no-access';
    return { access: extra.length === 0 ? base : `${base} (${extra.join(', ')})`, call };
  }
  return { access: METHOD_MODES[mode] ?? `${mode} (not defined)`, call: mode === 1 || mode === 2 };
}

function attributeRights(classId: number, list: DlmsValue | undefined, associationVersion: number): AttributeRight[] | null {
  if (list?.type !== 'array') return null;
  return list.items.flatMap((item) => {
    if (item.type !== 'structure') return [];
    const [idValue, modeValue, selectorsValue] = item.items;
    const id = num(idValue);
    const mode = num(modeValue);
    if (id === null || mode === null) return [];
    const selectors = selectorsValue?.type === 'array' ? selectorsValue.items.map(num).filter((s): s is number => s !== null) : [];
    return [{ id, name: attributeLabel(classId, id), mode, ...attributeAccess(mode, associationVersion), selectors }];
  });
}

function methodRights(classId: number, list: DlmsValue | undefined, associationVersion: number): MethodRight[] | null {
  if (list?.type !== 'array') return null;
  return list.items.flatMap((item) => {
    if (item.type !== 'structure') return [];
    const id = num(item.items[0]);
    const mode = num(item.items[1]);
    if (id === null || mode === null) return [];
    return [{ id, name: methodName(classId, id) ?? `method ${id}`, mode, ...methodAccess(mode, associationVersion) }];
  });
}

/** The class's own attributes and methods (from the version on), for a list that gives no rights. */
function unknownRights(classId: number, version: number): { attributes: AttributeRight[]; methods: MethodRight[] } {
  const known = findCosemClass(classId);
  if (known === undefined) return { attributes: [], methods: [] };
  const fits = (since: number | undefined) => since === undefined || since <= version;
  return {
    attributes: known.attributes
      .filter((a) => fits(a.sinceVersion))
      .map((a) => ({ id: a.id, name: a.name, mode: null, access: 'not given', read: true, write: false, selectors: [] })),
    methods: known.methods.filter((m) => fits(m.sinceVersion)).map((m) => ({ id: m.id, name: m.name, mode: null, access: 'not given', call: false })),
  };
}

/** One object of a list, with its rights where `rights` carries them. */
export function objectRights(
  classId: number,
  version: number,
  logicalName: Uint8Array,
  rights: DlmsValue | undefined,
  associationVersion: number,
): ObjectRights {
  const obis = obisFromBytes(logicalName);
  const attributes = rights?.type === 'structure' ? attributeRights(classId, rights.items[0], associationVersion) : null;
  const methods = rights?.type === 'structure' ? methodRights(classId, rights.items[1], associationVersion) : null;
  const fallback = unknownRights(classId, version);
  return {
    obis: formatObis(obis),
    classId,
    className: className(classId),
    version,
    name: standardName(obis) ?? '',
    rightsGiven: attributes !== null,
    attributes: attributes ?? fallback.attributes,
    methods: methods ?? fallback.methods,
  };
}

/**
 * Attribute 2 of an Association LN: array of {class_id, version, logical_name, access_rights}.
 * The association's own version decides the coding of the rights; it is found in the list itself
 * (the current association, 0-0:40.0.0.255) unless given.
 */
export function objectListRights(list: DlmsValue, associationVersion?: number): ObjectRights[] {
  if (list.type !== 'array') return [];
  const entries = list.items.flatMap((item) => {
    if (item.type !== 'structure' || item.items.length < 3) return [];
    const [cls, ver, ln, rights] = item.items;
    const classId = num(cls);
    const version = num(ver);
    if (classId === null || version === null || ln?.type !== 'octet-string' || ln.value.length !== 6) return [];
    return [{ classId, version, logicalName: ln.value, rights }];
  });
  const current = entries.find((e) => e.classId === 15 && formatObis(obisFromBytes(e.logicalName)) === '0-0:40.0.0.255');
  const assocVersion = associationVersion ?? current?.version ?? 0;
  return entries.map((e) => objectRights(e.classId, e.version, e.logicalName, e.rights, assocVersion));
}

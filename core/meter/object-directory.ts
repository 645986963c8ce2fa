/**
 * All objects of one virtual meter, and the two ways clients name them: by class and logical name
 * (LN referencing) or by short name (SN referencing, base name + 8 per attribute, methods from a
 * class-specific offset). Building the directory builds the meter's object model.
 */
import { snMethodOffset as classMethodOffset } from '../cosem/short-names.js';
import type { DlmsValue } from '../axdr/types.js';
import { EventLog } from './event-log.js';
import { LoadProfile } from './load-profile.js';
import type { MeterState } from './meter-state.js';
import { ActionResult, DataAccessResult, canWrite, type AccessContext, type AttributeDef, type CosemObject, type MethodDef } from './object-model.js';
import { associationLnObject, associationSnObject, type ListedObject } from './objects-association.js';
import { clockObject } from './objects-clock.js';
import { communicationObjects } from './objects-communication.js';
import { disconnectControlObject, supplyControlObjects } from './objects-control.js';
import { energyObjects } from './objects-energy.js';
import { firmwareSecurityObjects } from './objects-firmware-security.js';
import { identityObjects } from './objects-identity.js';
import { scheduleObjects, type ScriptTarget } from './objects-schedules.js';
import { defineProfileObject } from './profile-object.js';

/** The short name of the current Association SN object, the vaa-name an SN client is given. */
export { ASSOCIATION_SN_BASE_NAME } from '../cosem/short-names.js';
import { ASSOCIATION_SN_BASE_NAME } from '../cosem/short-names.js';
const FIRST_BASE_NAME = 0x1000;

export function snMethodOffset(object: CosemObject): number {
  return classMethodOffset(object.classId, object.attributes.length);
}

export type LnLookup = { readonly kind: 'found'; readonly object: CosemObject } | { readonly kind: 'refused'; readonly result: number };

export type ShortNameTarget =
  | { readonly kind: 'attribute'; readonly object: CosemObject; readonly attribute: AttributeDef }
  | { readonly kind: 'method'; readonly object: CosemObject; readonly method: MethodDef }
  | { readonly kind: 'refused'; readonly result: number };

export class ObjectDirectory {
  /** Objects an LN association sees (Association LN, not SN). */
  readonly lnObjects: readonly CosemObject[];
  /** Objects an SN association sees, with their base names. */
  readonly snObjects: readonly ListedObject[];
  readonly loadProfile: LoadProfile;
  readonly eventLog: EventLog;
  private readonly byLn = new Map<string, CosemObject>();

  constructor(state: MeterState) {
    const c = state.config;
    this.loadProfile = new LoadProfile({
      energy: state.energy,
      zone: () => state.zone,
      capacity: c.profile.rows,
      capturePeriod: c.profile.capturePeriod,
      startTime: c.profile.startTime,
    });
    this.eventLog = new EventLog(state);
    const target: ScriptTarget = {
      invoke: (ctx, classId, ln, methodId, parameters) => this.runMethod(ctx, classId, ln, methodId, parameters),
      write: (ctx, classId, ln, attributeId, value) => this.runWrite(ctx, classId, ln, attributeId, value),
    };
    const common: CosemObject[] = [
      // A profile captured on demand only (period 0) leaves the quarter hour as the measuring period.
      clockObject(state, () => this.loadProfile.capturePeriod || 900),
      ...identityObjects(state, this.eventLog),
      ...energyObjects(state),
      defineProfileObject({
        obis: '1-0:99.1.0.255',
        description: 'Load profile, 15-minute energy',
        source: this.loadProfile,
        zone: () => state.zone,
        clockColumn: 0,
      }),
      defineProfileObject({
        obis: '0-0:99.98.0.255',
        description: 'Standard event log',
        source: this.eventLog,
        zone: () => state.zone,
        clockColumn: 0,
      }),
      disconnectControlObject(state),
      ...supplyControlObjects(state),
      ...scheduleObjects(state, target),
      ...communicationObjects(state),
      ...firmwareSecurityObjects(state),
    ];
    const lnAssociation = associationLnObject(state, () => this.lnObjects.map((object) => ({ object, baseName: 0 })));
    const snAssociation = associationSnObject(() => this.snObjects);
    this.lnObjects = [lnAssociation, ...common];
    const sn: ListedObject[] = [{ object: snAssociation, baseName: ASSOCIATION_SN_BASE_NAME }];
    let next = FIRST_BASE_NAME;
    for (const object of common) {
      sn.push({ object, baseName: next });
      const lastMethod = object.methods.reduce((n, m) => Math.max(n, m.id), 0);
      const span = Math.max(object.attributes.length * 8, snMethodOffset(object) + lastMethod * 8);
      next += Math.ceil(span / 0x20) * 0x20;
    }
    this.snObjects = sn;
    for (const o of this.lnObjects) this.byLn.set(key(o.logicalName), o);
  }

  /** LN lookup: the object, or object-undefined (4) / object-class-inconsistent (9). */
  findLn(classId: number, logicalName: Uint8Array): LnLookup {
    const object = this.byLn.get(key(logicalName));
    if (object === undefined) return { kind: 'refused', result: DataAccessResult.objectUndefined };
    if (object.classId !== classId) return { kind: 'refused', result: DataAccessResult.objectClassInconsistent };
    return { kind: 'found', object };
  }

  /** SN lookup of a variable name (base name + 8 * (attribute - 1), or a method's short name). */
  resolveShortName(name: number): ShortNameTarget {
    let owner: ListedObject | undefined;
    for (const entry of this.snObjects) {
      if (entry.baseName <= name && (owner === undefined || entry.baseName > owner.baseName)) owner = entry;
    }
    if (owner === undefined) return { kind: 'refused', result: DataAccessResult.objectUndefined };
    const offset = name - owner.baseName;
    if (offset % 8 !== 0) return { kind: 'refused', result: DataAccessResult.objectUndefined };
    const object = owner.object;
    const methodStart = snMethodOffset(object);
    if (object.methods.length > 0 && offset >= methodStart) {
      const methodId = (offset - methodStart) / 8 + 1;
      const method = object.methods.find((m) => m.id === methodId);
      return method === undefined ? { kind: 'refused', result: DataAccessResult.objectUndefined } : { kind: 'method', object, method };
    }
    const attribute = object.attributes.find((a) => a.id === offset / 8 + 1);
    return attribute === undefined ? { kind: 'refused', result: DataAccessResult.objectUndefined } : { kind: 'attribute', object, attribute };
  }

  private runMethod(ctx: AccessContext, classId: number, ln: Uint8Array, methodId: number, parameters: DlmsValue): number {
    const found = this.findLn(classId, ln);
    if (found.kind === 'refused') return found.result;
    const m = found.object.methods.find((x) => x.id === methodId);
    if (m === undefined) return ActionResult.objectUndefined;
    // A script runs with the meter's own authority, not the client's.
    return m.invoke(ctx, parameters.type === 'null-data' ? undefined : parameters).result;
  }

  private runWrite(ctx: AccessContext, classId: number, ln: Uint8Array, attributeId: number, value: DlmsValue): number {
    const found = this.findLn(classId, ln);
    if (found.kind === 'refused') return found.result;
    const a = found.object.attributes.find((x) => x.id === attributeId);
    if (a === undefined || a.write === undefined || !canWrite(a.access.management)) return DataAccessResult.readWriteDenied;
    return a.write(ctx, value);
  }
}

function key(ln: Uint8Array): string {
  return `${ln[0]}.${ln[1]}.${ln[2]}.${ln[3]}.${ln[4]}.${ln[5]}`;
}

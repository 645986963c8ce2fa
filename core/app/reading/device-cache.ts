/**
 * What one meter tells once and then keeps: registers' scaler_unit, profiles' capture_objects and
 * capture_period, and the like. Reading them again at every poll would double the traffic on a
 * 9600-baud optical link, so the caller keeps one DeviceCache per physical device and calls
 * `invalidate()` when it reconnects (the meter may have been reprogrammed in between).
 */
import type { DlmsValue } from '../../axdr/types.js';
import type { CaptureObject } from '../../cosem/profile.js';
import type { ScalerUnit } from '../../cosem/scaler.js';
import { obisKey, type Obis } from '../../obis.js';

export interface ProfileShape {
  readonly captureObjects: readonly CaptureObject[];
  /** capture_period (attribute 4), seconds; null when the meter would not give it. */
  readonly capturePeriodSeconds: number | null;
}

function objectKey(classId: number, logicalName: Obis): string {
  return `${classId}/${obisKey(logicalName)}`;
}

export class DeviceCache {
  private readonly scalerUnits = new Map<string, ScalerUnit | null>();
  private readonly profiles = new Map<string, ProfileShape>();
  private readonly statics = new Map<string, DlmsValue>();
  private readonly refused = new Map<string, Set<number>>();
  private deviation: number | null = null;
  private invalidations = 0;

  /** Forget everything: the next read asks the meter again. */
  invalidate(): void {
    this.scalerUnits.clear();
    this.profiles.clear();
    this.statics.clear();
    this.refused.clear();
    this.deviation = null;
    this.invalidations++;
  }

  /** How many times the cache was invalidated (a reconnect counter for status screens). */
  get generation(): number {
    return this.invalidations;
  }

  /** How many things are known, for status screens and tests. */
  get size(): number {
    let refusedCount = 0;
    for (const s of this.refused.values()) refusedCount += s.size;
    return this.scalerUnits.size + this.profiles.size + this.statics.size + refusedCount;
  }

  /** The object's scaler_unit; null when it has none we can use; undefined when not asked yet. */
  scalerUnit(classId: number, logicalName: Obis): ScalerUnit | null | undefined {
    return this.scalerUnits.get(objectKey(classId, logicalName));
  }

  setScalerUnit(classId: number, logicalName: Obis, scalerUnit: ScalerUnit | null): void {
    this.scalerUnits.set(objectKey(classId, logicalName), scalerUnit);
  }

  profile(logicalName: Obis): ProfileShape | undefined {
    return this.profiles.get(objectKey(7, logicalName));
  }

  setProfile(logicalName: Obis, shape: ProfileShape): void {
    this.profiles.set(objectKey(7, logicalName), shape);
  }

  /** A buffer that did not fit its capture objects: the profile was reconfigured. */
  forgetProfile(logicalName: Obis): void {
    this.profiles.delete(objectKey(7, logicalName));
  }

  /** An attribute that does not change while the meter is connected (a demand period, a time zone). */
  staticValue(classId: number, logicalName: Obis, attribute: number): DlmsValue | undefined {
    return this.statics.get(`${objectKey(classId, logicalName)}/${attribute}`);
  }

  setStaticValue(classId: number, logicalName: Obis, attribute: number, value: DlmsValue): void {
    this.statics.set(`${objectKey(classId, logicalName)}/${attribute}`, value);
  }

  /** Attributes of an object the meter refused to this association: not asked again until invalidated. */
  refusedAttributes(classId: number, logicalName: Obis): ReadonlySet<number> {
    return this.refused.get(objectKey(classId, logicalName)) ?? EMPTY;
  }

  refuseAttribute(classId: number, logicalName: Obis, attribute: number): void {
    const key = objectKey(classId, logicalName);
    let set = this.refused.get(key);
    if (set === undefined) this.refused.set(key, (set = new Set()));
    set.add(attribute);
  }

  /**
   * The meter's deviation (minutes, DLMS sign) as its clock last said, for date-times it sends
   * without one and for the range of a profile read; null until a clock was read.
   */
  get meterDeviation(): number | null {
    return this.deviation;
  }

  set meterDeviation(minutes: number | null) {
    this.deviation = minutes;
  }
}

const EMPTY: ReadonlySet<number> = new Set();

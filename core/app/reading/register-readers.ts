/**
 * Data, Register, Extended register and Demand register, and any single attribute asked for by
 * number. The first read of a register brings its scaler_unit along in the same list; later reads
 * take it from the device cache and ask for the value alone.
 */
import { asDateTime, dateTimeToEpochMs } from '../../axdr/datetime.js';
import type { DlmsValue } from '../../axdr/types.js';
import { attributeMeaning } from '../../cosem/attribute-text.js';
import { scalerUnitFromValue, type ScalerUnit } from '../../cosem/scaler.js';
import { AccessError, RemoteProtocolError } from '../../errors.js';
import { formatObis, type Obis } from '../../obis.js';
import type { ItemResult } from '../../session/types.js';
import type { DeviceCache } from './device-cache.js';
import { numberOf, plainValue, scaledValue, unitText } from './plain-value.js';
import type { DemandRegisterReading, ExtendedRegisterReading, Reading, RegisterReading, ValueReading } from './types.js';
import { AttributeReader, type ValueTarget } from './value-reader.js';

/** Where each register class keeps its scaler_unit. */
export const SCALER_UNIT_ATTRIBUTE: Readonly<Record<number, number>> = { 3: 3, 4: 3, 5: 4 };

/** Whether the class's scaler_unit applies to this attribute (a register's value, a demand register's averages). */
export function isScaledAttribute(classId: number, attribute: number): boolean {
  if (classId === 3 || classId === 4) return attribute === 2;
  if (classId === 5) return attribute === 2 || attribute === 3;
  return false;
}

/**
 * Refusals that will not change while the association lasts (read-write-denied, object-undefined,
 * scope-of-access-violated): worth remembering so the meter is not asked again.
 */
export function isLastingRefusal(result: ItemResult): boolean {
  return !result.ok && result.error instanceof AccessError && [3, 4, 13].includes(result.error.result);
}

/** Put what a scaler_unit answer says into the cache; a malformed one throws (the meter's error). */
export function learnScalerUnit(cache: DeviceCache, classId: number, logicalName: Obis, answer: ItemResult | undefined): void {
  if (answer === undefined) return;
  if (answer.ok) cache.setScalerUnit(classId, logicalName, scalerUnitFromValue(answer.value, `${formatObis(logicalName)} scaler_unit`));
  else if (isLastingRefusal(answer)) cache.setScalerUnit(classId, logicalName, null);
}

/** Epoch ms of a date-time value; the meter's known deviation stands in for one it left out. */
export function instantOf(v: DlmsValue | null, cache: DeviceCache): number | null {
  if (v === null) return null;
  const dt = asDateTime(v);
  if (dt === null) return null;
  return dateTimeToEpochMs(dt, cache.meterDeviation ?? undefined);
}

/** Shared by the register readers: scaler_unit asked for when unknown, then taken from the cache. */
abstract class ScaledReader extends AttributeReader {
  protected get scalerAttribute(): number {
    return SCALER_UNIT_ATTRIBUTE[this.classId] ?? 3;
  }

  protected needsScaler(): boolean {
    return this.cache.scalerUnit(this.classId, this.logicalName) === undefined;
  }

  protected override learn(): void {
    learnScalerUnit(this.cache, this.classId, this.logicalName, this.answers.get(this.scalerAttribute));
  }

  /** The scaler_unit, or null with the reason recorded when the meter will not give one. */
  protected scalerUnit(): ScalerUnit | null {
    const su = this.cache.scalerUnit(this.classId, this.logicalName);
    if (su === null) {
      this.fail(
        this.errorOf(this.scalerAttribute) ??
          new RemoteProtocolError(
            `${formatObis(this.logicalName)}: the meter gives no scaler_unit (attribute ${this.scalerAttribute}), so the value is shown unscaled`,
            'no-scaler-unit',
          ),
      );
    }
    return su ?? null;
  }
}

/** Data (class 1) attribute 2, or any attribute of any class picked by number. */
export class AttributeValueReader extends ScaledReader {
  constructor(
    target: ValueTarget,
    private readonly attribute: number,
  ) {
    super(target);
  }

  private get scaled(): boolean {
    return isScaledAttribute(this.classId, this.attribute);
  }

  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    return this.scaled && this.needsScaler() ? [this.attribute, this.scalerAttribute] : [this.attribute];
  }

  protected override learn(): void {
    if (this.scaled) super.learn();
  }

  protected build(): Reading {
    const raw = this.valueOf(this.attribute);
    const su = this.scaled && raw !== null ? this.scalerUnit() : null;
    const meaning = su === null && raw !== null ? attributeMeaning(this.classId, this.attribute, raw) : null;
    const reading: ValueReading = {
      ...this.base(this.attribute),
      kind: 'value',
      raw,
      value: su === null ? plainValue(raw) : scaledValue(raw, su.scaler),
      unit: su === null ? null : unitText(su.unit),
      scaler: su === null ? null : su.scaler,
      ...(meaning === null ? {} : { meaning }),
    };
    return reading;
  }
}

/** Register (3) and Extended register (4). */
export class RegisterReader extends ScaledReader {
  private get extended(): boolean {
    return this.classId === 4;
  }

  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    const attributes = [2];
    if (this.needsScaler()) attributes.push(3);
    if (this.extended) attributes.push(4, 5);
    return attributes;
  }

  protected build(): Reading {
    const raw = this.valueOf(2);
    const su = raw === null ? (this.cache.scalerUnit(this.classId, this.logicalName) ?? null) : this.scalerUnit();
    const common = {
      ...this.base(2),
      raw,
      value: raw === null ? null : scaledValue(raw, su?.scaler ?? null),
      unit: su === null ? null : unitText(su.unit),
      scaler: su === null ? null : su.scaler,
      status: this.extended ? plainValue(this.valueOf(4, false)) : null,
      captureTime: this.extended ? instantOf(this.valueOf(5, false), this.cache) : null,
    };
    if (this.extended) return { ...common, kind: 'extended-register' } satisfies ExtendedRegisterReading;
    return { ...common, kind: 'register' } satisfies RegisterReading;
  }
}

/** Demand register (5): current and last average, scaler_unit, capture time, period. */
export class DemandRegisterReader extends ScaledReader {
  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    const attributes = [2, 3, 6];
    if (this.needsScaler()) attributes.push(4);
    if (this.cache.staticValue(5, this.logicalName, 8) === undefined) attributes.push(8);
    return attributes;
  }

  protected override learn(): void {
    super.learn();
    const period = this.answers.get(8);
    if (period?.ok === true) this.cache.setStaticValue(5, this.logicalName, 8, period.value);
  }

  protected build(): Reading {
    const current = this.valueOf(2);
    const last = this.valueOf(3, false);
    const su = current === null && last === null ? null : this.scalerUnit();
    const scaler = su?.scaler ?? null;
    const asNumber = (v: DlmsValue | null): number | null => {
      const x = scaledValue(v, scaler);
      return typeof x === 'number' ? x : null;
    };
    const period = numberOf(this.cache.staticValue(5, this.logicalName, 8) ?? this.valueOf(8, false));
    const reading: DemandRegisterReading = {
      ...this.base(2),
      kind: 'demand-register',
      raw: current,
      value: current === null ? null : scaledValue(current, scaler),
      unit: su === null ? null : unitText(su.unit),
      scaler,
      captureTime: instantOf(this.valueOf(6, false), this.cache),
      currentAverage: asNumber(current),
      lastAverage: asNumber(last),
      periodSeconds: period === undefined ? null : Number(period),
    };
    return reading;
  }
}

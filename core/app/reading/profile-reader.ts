/**
 * Profile generic (class 7): the newest "Entries" rows, or the rows of a time range, as named,
 * scaled, time-stamped columns. capture_objects and capture_period are asked once per connection;
 * with Entries, entries_in_use comes first so the buffer can be selected by entry number. The first
 * round carries only what selects the rows (capture_objects, entries_in_use), so its answer fits one
 * 128-byte frame on a strict meter; capture_period rides with the columns' scaler_units in the
 * second round, and the buffer goes alone. A range read of a known profile is one round.
 */
import { byEntry, byRange, type CaptureObjectRef } from '../../apdu/selective-access.js';
import type { AccessSelection } from '../../apdu/types.js';
import { dateTimeFromEpochMs } from '../../axdr/datetime.js';
import type { DlmsValue } from '../../axdr/types.js';
import { captureObjectsFromValue, profileRows, type CaptureObject, type ProfileTable } from '../../cosem/profile.js';
import type { ScalerUnit } from '../../cosem/scaler.js';
import { unexpectedValue } from '../../cosem/shape.js';
import { InputError } from '../../errors.js';
import { formatObis, obisKey, obisToBytes } from '../../obis.js';
import type { ItemResult } from '../../session/types.js';
import type { ProfileShape } from './device-cache.js';
import { numberOf } from './plain-value.js';
import { SCALER_UNIT_ATTRIBUTE, isScaledAttribute, learnScalerUnit } from './register-readers.js';
import type { ProfileReading, Reading } from './types.js';
import { AttributeReader, attributeNeed, type Need, type ValueTarget } from './value-reader.js';

const BUFFER = 2;
const CAPTURE_OBJECTS = 3;
const CAPTURE_PERIOD = 4;
const ENTRIES_IN_USE = 7;

/** Without an end, a range runs to a day past the computer's time: a meter's clock may be ahead. */
const OPEN_END_MS = 86_400_000;

type Selection =
  | { readonly kind: 'whole' }
  | { readonly kind: 'newest'; readonly entries: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly entries: number | null };

type Extra = { readonly role: 'buffer' } | { readonly role: 'period' } | { readonly role: 'scaler'; readonly column: CaptureObject };

export class ProfileReader extends AttributeReader {
  private readonly selection: Selection;
  private shape: ProfileShape | undefined;
  /** capture_objects came, capture_period is still to ask: the shape is not cached until both are in. */
  private periodPending = false;
  private entriesInUse: number | null = null;
  private planned: Extra[] = [];
  private bufferAsked = false;
  private buffer: ItemResult | undefined;

  constructor(target: ValueTarget, startedAt: number) {
    super(target);
    const { entries, from, to } = target.request;
    if (from !== undefined || to !== undefined) {
      this.selection = { kind: 'range', from: from ?? 0, to: to ?? startedAt + OPEN_END_MS, entries: entries ?? null };
    } else if (entries !== undefined) {
      this.selection = { kind: 'newest', entries };
    } else {
      this.selection = { kind: 'whole' };
    }
    this.shape = target.cache.profile(target.logicalName);
  }

  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    const attributes = this.shape === undefined ? [CAPTURE_OBJECTS] : [];
    if (this.selection.kind === 'newest') attributes.push(ENTRIES_IN_USE);
    return attributes;
  }

  protected override planExtra(): readonly Need[] {
    this.planned = [];
    if (this.bufferAsked || this.error !== null || this.shape === undefined) return [];
    // Entry numbers need entries_in_use first, which this round is asking for.
    if (this.selection.kind === 'newest' && this.entriesInUse === null) return [];
    const needs: Need[] = [];
    if (this.periodPending) {
      this.planned.push({ role: 'period' });
      needs.push(attributeNeed(7, this.logicalName, CAPTURE_PERIOD));
    }
    for (const column of this.shape.captureObjects) {
      if (!isScaledAttribute(column.classId, column.attributeIndex)) continue;
      if (this.cache.scalerUnit(column.classId, column.logicalName) !== undefined) continue;
      if (this.planned.some((p) => p.role === 'scaler' && obisKey(p.column.logicalName) === obisKey(column.logicalName))) continue;
      this.planned.push({ role: 'scaler', column });
      needs.push(attributeNeed(column.classId, column.logicalName, SCALER_UNIT_ATTRIBUTE[column.classId]!));
    }
    this.bufferAsked = true;
    if (this.selection.kind === 'newest' && this.entriesInUse === 0) return needs;
    let access: AccessSelection | undefined;
    try {
      access = this.access(this.shape.captureObjects);
    } catch (e) {
      this.fail(e);
      return needs;
    }
    this.planned.push({ role: 'buffer' });
    needs.push(attributeNeed(7, this.logicalName, BUFFER, access));
    return needs;
  }

  private access(captureObjects: readonly CaptureObject[]): AccessSelection | undefined {
    const s = this.selection;
    switch (s.kind) {
      case 'whole':
        return undefined;
      case 'newest': {
        const inUse = this.entriesInUse ?? 0;
        return byEntry({ fromEntry: Math.max(1, inUse - s.entries + 1), toEntry: inUse });
      }
      case 'range': {
        const clock = captureObjects.find((c) => c.classId === 8 && c.attributeIndex === 2 && c.dataIndex === 0);
        if (clock === undefined) {
          throw new InputError(
            'from / to',
            `${formatObis(this.logicalName)}`,
            'this profile has no clock column (class 8, attribute 2) to select a time range on; use Entries instead',
          );
        }
        const restrictingObject: CaptureObjectRef = {
          classId: 8,
          logicalName: obisToBytes(clock.logicalName),
          attributeIndex: 2,
          dataIndex: 0,
        };
        // Sent with the meter's own offset when known, so meters that ignore the deviation still get local time right.
        const deviation = this.cache.meterDeviation ?? 0;
        return byRange({ restrictingObject, from: dateTimeFromEpochMs(s.from, deviation), to: dateTimeFromEpochMs(s.to, deviation) });
      }
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  protected override takeExtra(results: readonly ItemResult[]): void {
    this.planned.forEach((p, i) => {
      const r = results[i];
      if (r === undefined) return;
      if (p.role === 'buffer') this.buffer = r;
      else if (p.role === 'period') this.learnPeriod(r);
      else learnScalerUnit(this.cache, p.column.classId, p.column.logicalName, r);
    });
    this.planned = [];
  }

  protected override learn(): void {
    const co = this.answers.get(CAPTURE_OBJECTS);
    if (this.shape === undefined && co !== undefined) {
      if (!co.ok) {
        this.fail(co.error);
      } else {
        this.shape = {
          captureObjects: captureObjectsFromValue(co.value, `${formatObis(this.logicalName)} capture_objects`),
          capturePeriodSeconds: null,
        };
        this.periodPending = true;
      }
    }
    const inUse = this.answers.get(ENTRIES_IN_USE);
    if (inUse !== undefined && this.entriesInUse === null) {
      if (!inUse.ok) {
        this.fail(inUse.error);
      } else {
        const n = numberOf(inUse.value);
        if (n === undefined || Number(n) < 0) {
          this.fail(unexpectedValue(`${formatObis(this.logicalName)} entries_in_use`, 'double-long-unsigned', inUse.value));
        } else {
          this.entriesInUse = Number(n);
        }
      }
    }
  }

  /** capture_period came (or was refused: the period stays unknown); the shape is whole now. */
  private learnPeriod(answer: ItemResult): void {
    this.periodPending = false;
    if (this.shape === undefined) return;
    const seconds = answer.ok ? numberOf(answer.value) : undefined;
    this.shape = { ...this.shape, capturePeriodSeconds: seconds === undefined ? null : Number(seconds) };
    this.cache.setProfile(this.logicalName, this.shape);
  }

  protected build(): Reading {
    let table: ProfileTable = { columns: [], rows: [] };
    let raw: DlmsValue | null = null;
    const shape = this.shape;
    if (this.buffer !== undefined && !this.buffer.ok) this.fail(this.buffer.error);
    if (shape !== undefined && this.error === null) {
      const bufferValue: DlmsValue = this.buffer?.ok === true ? this.buffer.value : { type: 'array', items: [] };
      raw = this.buffer?.ok === true ? this.buffer.value : null;
      try {
        table = profileRows(shape.captureObjects, bufferValue, {
          scalerUnits: this.columnScalers(shape.captureObjects),
          ...(shape.capturePeriodSeconds === null ? {} : { capturePeriodSeconds: shape.capturePeriodSeconds }),
          omitRaw: true,
        });
      } catch (e) {
        // Rows that do not fit the capture objects: the profile was reconfigured since we asked.
        this.cache.forgetProfile(this.logicalName);
        this.fail(e);
      }
    }
    let rows = table.rows;
    if (this.selection.kind === 'range' && this.selection.entries !== null && rows.length > this.selection.entries) {
      rows = rows.slice(rows.length - this.selection.entries);
    }
    const newest = rows.length > 0 ? rows[rows.length - 1]!.epochMs : null;
    const reading: ProfileReading = {
      ...this.base(BUFFER),
      kind: 'profile',
      raw,
      captureTime: newest,
      columns: table.columns,
      rows,
      entriesInUse: this.entriesInUse,
      capturePeriodSeconds: shape?.capturePeriodSeconds ?? null,
    };
    return reading;
  }

  private columnScalers(columns: readonly CaptureObject[]): ReadonlyMap<string, ScalerUnit> {
    const out = new Map<string, ScalerUnit>();
    for (const c of columns) {
      if (!isScaledAttribute(c.classId, c.attributeIndex)) continue;
      const su = this.cache.scalerUnit(c.classId, c.logicalName);
      if (su) out.set(obisKey(c.logicalName), su);
    }
    return out;
  }
}

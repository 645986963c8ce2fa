/**
 * Profile generic (class 7): the newest "Entries" rows, or the rows of a time range, as named,
 * scaled, time-stamped columns. capture_objects and capture_period are asked once per connection;
 * with Entries, entries_in_use comes first so the buffer can be selected by entry number. The first
 * round carries only what selects the rows (capture_objects, entries_in_use), so its answer fits one
 * 128-byte frame on a strict meter; capture_period rides with the columns' scaler_units in the
 * second round, and the buffer goes alone. A range read of a known profile is one round.
 *
 * A poll by Entries that passes back the previous reading's mark (`since`) asks only for the rows
 * after it: by range from the newest capture time when the clock is the first column (the meter's
 * own time, so its clock may be ahead of or behind the computer's), else by entry numbers from how
 * entries_in_use grew. Either way at most Entries rows; after a long gap (more than Entries capture
 * periods) it reads the newest Entries rows as a first poll does.
 */
import { byEntry, byRange, type CaptureObjectRef } from '../../apdu/selective-access.js';
import type { AccessSelection } from '../../apdu/types.js';
import { asDateTime, dateTimeFromEpochMs, hasDeviation } from '../../axdr/datetime.js';
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
import type { ProfileMark, ProfileReading, Reading } from './types.js';
import { AttributeReader, attributeNeed, type Need, type ValueTarget } from './value-reader.js';

const BUFFER = 2;
const CAPTURE_OBJECTS = 3;
const CAPTURE_PERIOD = 4;
const ENTRIES_IN_USE = 7;
const PROFILE_ENTRIES = 8;

/** Without an end, a range runs to a day past the computer's time: a meter's clock may be ahead. */
const OPEN_END_MS = 86_400_000;

type Selection =
  | { readonly kind: 'whole' }
  | { readonly kind: 'newest'; readonly entries: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly entries: number | null }
  | { readonly kind: 'since'; readonly entries: number; readonly mark: ProfileMark };

/** How a poll with a mark selects the new rows (decided once capture_objects are known). */
type SinceMode = 'range' | 'entry';

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
  /** profile_entries, asked with entries_in_use when a mark's entry count is to be compared; null when not known. */
  private capacity: number | null = null;
  private sinceMode: SinceMode | null = null;
  /** The buffer was asked up to the newest entry: its newest row is the meter's newest now. */
  private readToNewest = false;

  constructor(
    target: ValueTarget,
    private readonly startedAt: number,
  ) {
    super(target);
    const { entries, from, to, since } = target.request;
    if (from !== undefined || to !== undefined) {
      this.selection = { kind: 'range', from: from ?? 0, to: to ?? startedAt + OPEN_END_MS, entries: entries ?? null };
    } else if (entries !== undefined && since !== undefined) {
      this.selection = { kind: 'since', entries, mark: since };
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
    const s = this.selection;
    if (s.kind === 'newest') attributes.push(ENTRIES_IN_USE);
    if (s.kind === 'since') {
      if (this.shape !== undefined) this.sinceMode = this.chooseMode(this.shape, s);
      // Unknown shape: the mode is chosen once capture_objects are in; entry numbers are asked in case.
      if (this.sinceMode !== 'range') attributes.push(ENTRIES_IN_USE, ...(s.mark.entriesInUse !== null ? [PROFILE_ENTRIES] : []));
    }
    return attributes;
  }

  /**
   * By range when the clock is the first column, a newest capture time is known with the meter's
   * deviation, and fewer than Entries captures can have happened since; by entry otherwise.
   */
  private chooseMode(shape: ProfileShape, s: { readonly entries: number; readonly mark: ProfileMark }): SinceMode {
    const first = shape.captureObjects[0];
    const clockFirst = first !== undefined && first.classId === 8 && first.attributeIndex === 2 && first.dataIndex === 0;
    if (!clockFirst || s.mark.newest === null || (s.mark.deviation ?? this.cache.meterDeviation) === null) return 'entry';
    const periodMs = (shape.capturePeriodSeconds ?? 0) * 1000;
    if (periodMs > 0 && (this.startedAt - s.mark.newestSeenAt) / periodMs > s.entries) return 'entry';
    return 'range';
  }

  protected override planExtra(): readonly Need[] {
    this.planned = [];
    if (this.bufferAsked || this.error !== null || this.shape === undefined) return [];
    // Entry numbers need entries_in_use first, which this round is asking for.
    if (this.selection.kind === 'newest' && this.entriesInUse === null) return [];
    if (this.selection.kind === 'since') {
      this.sinceMode ??= this.chooseMode(this.shape, this.selection);
      if (this.sinceMode === 'entry' && this.entriesInUse === null) return [];
    }
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
    let access: AccessSelection | undefined | 'nothing-new';
    try {
      access = this.access(this.shape.captureObjects);
    } catch (e) {
      this.fail(e);
      return needs;
    }
    if (access === 'nothing-new') return needs;
    this.planned.push({ role: 'buffer' });
    needs.push(attributeNeed(7, this.logicalName, BUFFER, access));
    return needs;
  }

  /** The buffer's selective access; 'nothing-new' when no row is to be asked for. */
  private access(captureObjects: readonly CaptureObject[]): AccessSelection | undefined | 'nothing-new' {
    const s = this.selection;
    switch (s.kind) {
      case 'whole':
        return undefined;
      case 'newest':
        return this.newestEntries(s.entries);
      case 'since':
        return this.sinceMode === 'range' ? this.rangeAfter(captureObjects[0]!, s.mark) : this.entriesAfter(s.entries, s.mark);
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

  /** The newest `count` entries (all of them when fewer are in use). */
  private newestEntries(count: number): AccessSelection | 'nothing-new' {
    const inUse = this.entriesInUse ?? 0;
    if (inUse === 0 || count <= 0) return 'nothing-new';
    this.readToNewest = true;
    return byEntry({ fromEntry: Math.max(1, inUse - count + 1), toEntry: inUse });
  }

  /**
   * Rows captured after the mark's newest, by the meter's own time. The end is not the computer's
   * clock (the meter's may be ahead): it is the newest plus the time since it was seen, plus a day.
   */
  private rangeAfter(clock: CaptureObject, mark: ProfileMark): AccessSelection {
    const newest = mark.newest!;
    const deviation = mark.deviation ?? this.cache.meterDeviation ?? 0;
    const restrictingObject: CaptureObjectRef = { classId: 8, logicalName: obisToBytes(clock.logicalName), attributeIndex: 2, dataIndex: 0 };
    // Capture times are whole seconds: a second on leaves the newest row out (range ends are inclusive).
    const from = newest + 1000;
    const to = newest + Math.max(0, this.startedAt - mark.newestSeenAt) + OPEN_END_MS;
    return byRange({ restrictingObject, from: dateTimeFromEpochMs(from, deviation), to: dateTimeFromEpochMs(to, deviation) });
  }

  /**
   * The entries added since the mark, from how entries_in_use grew. A full buffer keeps its count
   * while its oldest entries go: the new ones are estimated from the capture period and the time
   * since the mark (one more for a capture on the boundary), and rows already known are dropped.
   */
  private entriesAfter(entries: number, mark: ProfileMark): AccessSelection | 'nothing-new' {
    const inUse = this.entriesInUse ?? 0;
    const before = mark.entriesInUse;
    if (before === null || inUse < before) return this.newestEntries(entries);
    if (inUse > before) return this.newestEntries(Math.min(entries, inUse - before));
    if (this.capacity !== null && inUse < this.capacity) return 'nothing-new';
    const periodMs = (this.shape?.capturePeriodSeconds ?? 0) * 1000;
    if (periodMs <= 0 || mark.entriesSeenAt === null) return this.newestEntries(entries);
    return this.newestEntries(Math.min(entries, Math.floor(Math.max(0, this.startedAt - mark.entriesSeenAt) / periodMs) + 1));
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
    // profile_entries only sharpens the estimate: a meter that will not give it is read as full.
    const capacity = this.answers.get(PROFILE_ENTRIES);
    if (capacity !== undefined && capacity.ok && this.capacity === null) {
      const n = numberOf(capacity.value);
      if (n !== undefined && Number(n) >= 0) this.capacity = Number(n);
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
    const s = this.selection;
    if (s.kind === 'since' && s.mark.newest !== null) {
      // A meter that rounds the range's start, or an estimate of entries, may repeat known rows.
      const known = s.mark.newest;
      if (rows.some((r) => r.epochMs !== null && r.epochMs <= known)) rows = rows.filter((r) => r.epochMs === null || r.epochMs > known);
    }
    const limit = s.kind === 'range' || s.kind === 'since' ? s.entries : null;
    if (limit !== null && rows.length > limit) rows = rows.slice(rows.length - limit);
    const newest = rows.length > 0 ? rows[rows.length - 1]!.epochMs : null;
    const mark = (s.kind === 'newest' || s.kind === 'since') && this.error === null && shape !== undefined ? this.nextMark(rows, shape) : undefined;
    const reading: ProfileReading = {
      ...this.base(BUFFER),
      kind: 'profile',
      raw,
      // No new rows: the profile's newest row is still the one the mark knows.
      captureTime: newest ?? (s.kind === 'since' ? s.mark.newest : null),
      columns: table.columns,
      rows,
      entriesInUse: this.entriesInUse,
      capturePeriodSeconds: shape?.capturePeriodSeconds ?? null,
      ...(mark === undefined ? {} : { mark }),
    };
    return reading;
  }

  /** Where the next poll goes on from: the newest row now known and the entries count just read. */
  private nextMark(rows: readonly { readonly epochMs: number | null }[], shape: ProfileShape): ProfileMark {
    const before = this.selection.kind === 'since' ? this.selection.mark : null;
    let newest = before?.newest ?? null;
    let deviation = before?.deviation ?? null;
    let newestSeenAt = before?.newestSeenAt ?? this.startedAt;
    let rowsNewest: number | null = null;
    for (const r of rows) if (r.epochMs !== null && (rowsNewest === null || r.epochMs > rowsNewest)) rowsNewest = r.epochMs;
    if (rowsNewest !== null && (newest === null || rowsNewest > newest)) {
      newest = rowsNewest;
      deviation = this.newestDeviation(shape) ?? deviation;
      newestSeenAt = this.startedAt;
    } else if (this.readToNewest) {
      // The meter's newest entry was read: nothing newer than `newest` existed now.
      newestSeenAt = this.startedAt;
    }
    return {
      newest,
      deviation,
      newestSeenAt,
      entriesInUse: this.entriesInUse ?? before?.entriesInUse ?? null,
      entriesSeenAt: this.entriesInUse !== null ? this.startedAt : (before?.entriesSeenAt ?? null),
    };
  }

  /** The deviation the meter wrote in its newest row's time stamp (compressed rows carry none). */
  private newestDeviation(shape: ProfileShape): number | null {
    const clock = shape.captureObjects.findIndex((c) => c.classId === 8 && c.attributeIndex === 2 && c.dataIndex === 0);
    const buffer = this.buffer?.ok === true ? this.buffer.value : null;
    if (clock < 0 || buffer === null || (buffer.type !== 'array' && buffer.type !== 'compact-array')) return null;
    const items = buffer.items;
    for (let i = items.length - 1; i >= 0; i--) {
      const entry = items[i]!;
      if (entry.type !== 'structure') return null;
      const cell = entry.items[clock];
      const dt = cell === undefined ? null : asDateTime(cell);
      if (dt !== null) return hasDeviation(dt) ? dt.deviation : null;
    }
    return null;
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

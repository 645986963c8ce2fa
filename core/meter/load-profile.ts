/**
 * The 15-minute load profile (1-0:99.1.0.255) as a lazily produced buffer: entry i is the clock
 * and the energy counters at the i-th capture instant, computed on demand. Encoding writes
 * straight into one preallocated byte array (every row has the same size), so 100,000 rows take
 * milliseconds, not seconds.
 */
import { DateTimeStamper, isDaylightSaving, type ClockZone } from './calendar.js';
import { ActiveExport, ActiveImport, ENERGY_CHANNELS, ReactiveExport, ReactiveImport, type EnergyModel } from './energy-model.js';
import { captureObjectDef, type CaptureObjectDef, type ProfileSnapshot, type ProfileSource } from './profile-object.js';

/** AMR profile status bits (the status column). */
const STATUS_DAYLIGHT_SAVING = 0x08;

export const LOAD_PROFILE_CAPTURE_OBJECTS: readonly CaptureObjectDef[] = [
  captureObjectDef(8, '0-0:1.0.0.255', 2),
  captureObjectDef(1, '0-0:96.10.1.255', 2),
  captureObjectDef(3, '1-0:1.8.0.255', 2),
  captureObjectDef(3, '1-0:2.8.0.255', 2),
  captureObjectDef(3, '1-0:3.8.0.255', 2),
  captureObjectDef(3, '1-0:4.8.0.255', 2),
];

/** Bytes of each column in a row, tag included: octet-string(12), unsigned, 4 x double-long-unsigned. */
const COLUMN_SIZE = [14, 2, 5, 5, 5, 5];
const COLUMN_CHANNEL = [-1, -1, ActiveImport, ActiveExport, ReactiveImport, ReactiveExport];

export interface LoadProfileOptions {
  readonly energy: EnergyModel;
  readonly zone: () => ClockZone;
  readonly capacity: number;
  /** Seconds between captures. */
  readonly capturePeriod: number;
  /** When recording started; null: the buffer is full. */
  readonly startTime: number | null;
}

/**
 * A run of captures at one spacing: rows at `first`, `first + period`, ... up to `last` (inclusive;
 * null: still running). `first` null: the run reaches back past the buffer's capacity (a full buffer).
 */
interface CaptureRun {
  readonly periodMs: number;
  readonly first: number | null;
  readonly last: number | null;
}

/** Rows of one run that are in the buffer: `count` rows from `first` at `periodMs`. */
interface RowRange {
  readonly first: number;
  readonly periodMs: number;
  readonly count: number;
}

export class LoadProfile implements ProfileSource {
  readonly captureObjects = LOAD_PROFILE_CAPTURE_OBJECTS;
  readonly capacity: number;
  private readonly energy: EnergyModel;
  private readonly zone: () => ClockZone;
  private periodMs: number;
  /** Oldest first; only the last may be running. */
  private runs: CaptureRun[];

  constructor(options: LoadProfileOptions) {
    this.energy = options.energy;
    this.zone = options.zone;
    this.capacity = options.capacity;
    this.periodMs = options.capturePeriod * 1000;
    this.runs = [this.runFrom(options.startTime)];
  }

  /** Seconds between captures now (0: no periodic captures). */
  get capturePeriod(): number {
    return this.periodMs / 1000;
  }

  reset(now: number): void {
    this.runs = [this.runFrom(now + 1)];
  }

  /**
   * capture_period written at `now`: the rows so far are kept, the next ones follow the new period
   * from its first multiple after `now` (0: captures only on demand).
   */
  setCapturePeriod(now: number, seconds: number): void {
    this.closeAt(now);
    this.periodMs = seconds * 1000;
    this.runs.push(this.runFrom(now + 1));
    this.prune(now);
  }

  /** The capture method: one row now (besides a periodic one due at this instant), then the periodic captures go on. */
  capture(now: number): void {
    this.closeAt(now);
    this.runs.push({ periodMs: 1, first: now, last: now });
    this.runs.push(this.runFrom(now + 1));
    this.prune(now);
  }

  /** The periodic run whose first row is the first multiple of the period at or after `from` (null: full). */
  private runFrom(from: number | null): CaptureRun {
    const p = this.periodMs;
    if (p === 0) return { periodMs: 1, first: 0, last: -1 };
    return { periodMs: p, first: from === null ? null : Math.ceil(from / p) * p, last: null };
  }

  /** Stop every run at `time` (rows after it are dropped, as a meter set back forgets them). */
  private closeAt(time: number): void {
    const kept: CaptureRun[] = [];
    for (const r of this.runs) {
      const last = r.last === null ? time : Math.min(r.last, time);
      if (r.first !== null && r.first > last) continue;
      kept.push({ ...r, last });
    }
    this.runs = kept;
  }

  /** Forget the runs whose rows newer ones have pushed out of a full buffer. */
  private prune(now: number): void {
    const { oldestRun, entries } = this.rows(now);
    if (entries >= this.capacity && oldestRun > 0) this.runs = this.runs.slice(oldestRun);
  }

  private ranges(now: number): RowRange[] {
    return this.rows(now).ranges;
  }

  /** The rows in the buffer at `now`, oldest first, at most `capacity`, and the oldest run that has some. */
  private rows(now: number): { ranges: RowRange[]; entries: number; oldestRun: number } {
    const out: RowRange[] = [];
    let room = this.capacity;
    let oldestRun = this.runs.length;
    for (let i = this.runs.length - 1; i >= 0 && room > 0; i--) {
      const r = this.runs[i]!;
      const p = r.periodMs;
      const end = r.last === null ? now : Math.min(r.last, now);
      let lastRow: number;
      let count: number;
      if (r.first === null) {
        lastRow = Math.floor(end / p) * p;
        count = room;
      } else {
        if (end < r.first) continue;
        const steps = Math.floor((end - r.first) / p);
        lastRow = r.first + steps * p;
        count = Math.min(room, steps + 1);
      }
      out.push({ first: lastRow - (count - 1) * p, periodMs: p, count });
      room -= count;
      oldestRun = i;
    }
    return { ranges: out.reverse(), entries: this.capacity - room, oldestRun };
  }

  snapshot(now: number): ProfileSnapshot {
    const ranges = this.ranges(now);
    let entries = 0;
    for (const r of ranges) entries += r.count;
    return {
      entries,
      firstAtOrAfter: (time) => {
        let offset = 0;
        for (const r of ranges) {
          const lastRow = r.first + (r.count - 1) * r.periodMs;
          if (time <= lastRow) return offset + clamp(Math.ceil((time - r.first) / r.periodMs), r.count);
          offset += r.count;
        }
        return entries;
      },
      endAtOrBefore: (time) => {
        let offset = 0;
        let end = 0;
        for (const r of ranges) {
          if (time < r.first) break;
          end = offset + clamp(Math.floor((time - r.first) / r.periodMs) + 1, r.count);
          offset += r.count;
        }
        return end;
      },
      encode: (from, to, columns) => this.encodeRanges(ranges, from, to, columns),
    };
  }

  /** Rows [from, to) of the buffer made of `ranges`. */
  private encodeRanges(ranges: readonly RowRange[], from: number, to: number, columns: readonly number[]): Uint8Array {
    if (ranges.length === 1) {
      const r = ranges[0]!;
      return this.encode(r.first, from, to, columns, r.periodMs);
    }
    const times: number[] = [];
    let index = 0;
    for (const r of ranges) {
      for (let j = 0; j < r.count && index < to; j++, index++) if (index >= from) times.push(r.first + j * r.periodMs);
      if (index >= to) break;
    }
    return this.encodeTimes(times.length, (i) => times[i]!, columns);
  }

  /** Rows [from, to) of the buffer whose entry 0 was captured at `firstTime`. */
  encode(firstTime: number, from: number, to: number, columns: readonly number[], periodMs = this.periodMs): Uint8Array {
    return this.encodeTimes(Math.max(0, to - from), (i) => firstTime + (from + i) * periodMs, columns);
  }

  /** `count` rows, row i captured at `timeOf(i)`. */
  private encodeTimes(count: number, timeOf: (i: number) => number, columns: readonly number[]): Uint8Array {
    let rowSize = 2;
    for (const c of columns) rowSize += COLUMN_SIZE[c]!;
    const header = count < 0x80 ? 2 : count <= 0xff ? 3 : count <= 0xffff ? 4 : count <= 0xffffff ? 5 : 6;
    const out = new Uint8Array(header + count * rowSize);
    out[0] = 0x01;
    writeBerLength(out, 1, count);
    const zone = this.zone();
    const stamper = new DateTimeStamper(zone);
    const energies = new Float64Array(ENERGY_CHANNELS);
    const needEnergy = columns.some((c) => COLUMN_CHANNEL[c]! >= 0);
    const dstEnabled = zone.daylightSaving.enabled;
    let at = header;
    for (let i = 0; i < count; i++) {
      const time = timeOf(i);
      if (needEnergy) this.energy.energiesAt(time, energies);
      out[at++] = 0x02;
      out[at++] = columns.length;
      for (const c of columns) {
        switch (c) {
          case 0:
            out[at] = 0x09;
            out[at + 1] = 12;
            stamper.write(out, at + 2, time);
            at += 14;
            break;
          case 1:
            out[at] = 0x11;
            out[at + 1] = dstEnabled && isDaylightSaving(time, zone) ? STATUS_DAYLIGHT_SAVING : 0;
            at += 2;
            break;
          default: {
            // Counters roll over at 2^32 like a real register would.
            const v = Math.floor(energies[COLUMN_CHANNEL[c]!]!) % 4294967296;
            out[at] = 0x06;
            out[at + 1] = v >>> 24;
            out[at + 2] = (v >>> 16) & 0xff;
            out[at + 3] = (v >>> 8) & 0xff;
            out[at + 4] = v & 0xff;
            at += 5;
          }
        }
      }
    }
    return out;
  }
}

function clamp(n: number, entries: number): number {
  return n < 0 ? 0 : n > entries ? entries : n;
}

/** A-XDR length at `at`; the caller sized the header. */
export function writeBerLength(out: Uint8Array, at: number, n: number): void {
  if (n < 0x80) {
    out[at] = n;
  } else if (n <= 0xff) {
    out[at] = 0x81;
    out[at + 1] = n;
  } else if (n <= 0xffff) {
    out[at] = 0x82;
    out[at + 1] = n >> 8;
    out[at + 2] = n & 0xff;
  } else if (n <= 0xffffff) {
    out[at] = 0x83;
    out[at + 1] = n >> 16;
    out[at + 2] = (n >> 8) & 0xff;
    out[at + 3] = n & 0xff;
  } else {
    out[at] = 0x84;
    out[at + 1] = n >>> 24;
    out[at + 2] = (n >> 16) & 0xff;
    out[at + 3] = (n >> 8) & 0xff;
    out[at + 4] = n & 0xff;
  }
}

/**
 * The 15-minute load profile (1-0:99.1.0.255) as a lazily produced buffer: entry i is the clock
 * and the energy counters at the i-th capture instant, computed on demand. Encoding writes
 * straight into one preallocated byte array (every row has the same size), so 100,000 rows take
 * milliseconds, not seconds.
 */
import { DateTimeStamper, isDaylightSaving, type ClockZone } from './calendar.js';
import {
  ActiveExport,
  ActiveImport,
  ENERGY_CHANNELS,
  ReactiveExport,
  ReactiveImport,
  type EnergyModel,
} from './energy-model.js';
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

export class LoadProfile implements ProfileSource {
  readonly captureObjects = LOAD_PROFILE_CAPTURE_OBJECTS;
  readonly capturePeriod: number;
  readonly capacity: number;
  private readonly energy: EnergyModel;
  private readonly zone: () => ClockZone;
  private readonly periodMs: number;
  private startTime: number | null;

  constructor(options: LoadProfileOptions) {
    this.energy = options.energy;
    this.zone = options.zone;
    this.capacity = options.capacity;
    this.capturePeriod = options.capturePeriod;
    this.periodMs = options.capturePeriod * 1000;
    this.startTime = options.startTime;
  }

  reset(now: number): void {
    this.startTime = now + 1;
  }

  snapshot(now: number): ProfileSnapshot {
    const p = this.periodMs;
    const lastCapture = Math.floor(now / p) * p;
    let entries = this.capacity;
    if (this.startTime !== null) {
      const firstCapture = Math.ceil(this.startTime / p) * p;
      entries = lastCapture < firstCapture ? 0 : Math.min(this.capacity, (lastCapture - firstCapture) / p + 1);
    }
    const firstTime = lastCapture - (entries - 1) * p;
    return {
      entries,
      firstAtOrAfter: (time) => clamp(Math.ceil((time - firstTime) / p), entries),
      endAtOrBefore: (time) => clamp(Math.floor((time - firstTime) / p) + 1, entries),
      encode: (from, to, columns) => this.encode(firstTime, from, to, columns),
    };
  }

  /** Rows [from, to) of the buffer whose entry 0 was captured at `firstTime`. */
  encode(firstTime: number, from: number, to: number, columns: readonly number[]): Uint8Array {
    const count = Math.max(0, to - from);
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
      const time = firstTime + (from + i) * this.periodMs;
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

/**
 * The household behind the virtual meter: a load with morning and evening peaks, rooftop solar,
 * and the grid's voltage and frequency. Everything is a pure function of the seed and the instant,
 * so a profile row from last month and a register read now agree, and rows can be produced lazily.
 *
 * Power is modelled per 15-minute slot; energy registers are the running sum of the slots (cached
 * per day), so every counter grows monotonically and a profile entry equals the register value the
 * meter would have shown at that capture.
 */
import { createPrng, unitHash } from './prng.js';

export const SLOT_MS = 900_000;
const SLOTS_PER_DAY = 96;

/** Channels of the energy counters. */
export const ActiveImport = 0; // +A, 1-0:1.8.0
export const ActiveExport = 1; // -A, 1-0:2.8.0
export const ReactiveImport = 2; // +R, 1-0:3.8.0
export const ReactiveExport = 3; // -R, 1-0:4.8.0
export const ActiveImportTariff1 = 4; // +A during the day tariff, 1-0:1.8.1
export const ActiveImportTariff2 = 5; // +A during the night tariff, 1-0:1.8.2
export type EnergyChannel = 0 | 1 | 2 | 3 | 4 | 5;
export const ENERGY_CHANNELS = 6;
const CHANNELS = ENERGY_CHANNELS;

/** Relative load by hour of day (local standard time). */
const DAILY_LOAD = [0.35, 0.3, 0.28, 0.27, 0.27, 0.3, 0.45, 0.8, 0.85, 0.6, 0.5, 0.5, 0.55, 0.5, 0.45, 0.45, 0.55, 0.75, 1.0, 1.0, 0.95, 0.8, 0.6, 0.45];

/** The day tariff (T1) runs from 07:00 to 22:00 local standard time. */
const TARIFF1_FROM_HOUR = 7;
const TARIFF1_TO_HOUR = 22;

export interface InstantValues {
  /** W, import and export (only one is non-zero). */
  readonly activeImport: number;
  readonly activeExport: number;
  /** var. */
  readonly reactiveImport: number;
  readonly reactiveExport: number;
  /** V per phase L1..L3. */
  readonly voltage: readonly [number, number, number];
  /** A per phase L1..L3. */
  readonly current: readonly [number, number, number];
  /** Hz. */
  readonly frequency: number;
  /** 0..1. */
  readonly powerFactor: number;
}

export interface EnergyModelOptions {
  readonly seed: number;
  readonly installedAt: number;
  /** Minutes, DLMS sign; places the daily load curve in local time. */
  readonly timeZone: number;
}

export class EnergyModel {
  private readonly seed: number;
  private readonly installSlot: number;
  private readonly localOffsetMs: number;
  private readonly loadScale: number;
  private readonly baseLoad: number;
  private readonly solarPeak: number;
  private readonly reactiveRatio: number;
  /** Counter values at installation, Wh / varh. */
  private readonly initial: Float64Array;
  /** Counter values at the start of each day since installation: day d at [d * CHANNELS + c]. */
  private dayStarts = new Float64Array(CHANNELS * 64);
  private daysKnown = 0;
  /** Within-day running sums of recently used days: 97 boundaries per channel. */
  private readonly dayPrefix = new Map<number, Float64Array>();
  private readonly slotScratch = new Float64Array(CHANNELS);

  constructor(options: EnergyModelOptions) {
    this.seed = options.seed >>> 0;
    this.installSlot = Math.floor(options.installedAt / SLOT_MS);
    this.localOffsetMs = -options.timeZone * 60_000;
    const rnd = createPrng(this.seed ^ 0x5eed);
    this.loadScale = 450 + 450 * rnd();
    this.baseLoad = 90 + 80 * rnd();
    this.solarPeak = 2500 + 3000 * rnd();
    this.reactiveRatio = 0.18 + 0.14 * rnd();
    this.initial = new Float64Array(CHANNELS);
    this.initial[ActiveImport] = Math.round(800_000 + 2_400_000 * rnd());
    this.initial[ActiveExport] = Math.round(100_000 + 600_000 * rnd());
    this.initial[ReactiveImport] = Math.round(this.initial[ActiveImport]! * this.reactiveRatio);
    this.initial[ReactiveExport] = Math.round(20_000 + 40_000 * rnd());
    this.initial[ActiveImportTariff1] = Math.round(this.initial[ActiveImport]! * 0.62);
    this.initial[ActiveImportTariff2] = this.initial[ActiveImport]! - this.initial[ActiveImportTariff1]!;
    this.dayStarts.set(this.initial, 0);
    this.daysKnown = 1;
  }

  /**
   * Average power of each channel over one slot (slot = floor(ms / 900000)), written to `out`:
   * W for active channels, var for reactive ones.
   */
  slotPower(slot: number, out: Float64Array = this.slotScratch): Float64Array {
    const localMs = slot * SLOT_MS + this.localOffsetMs;
    const localDay = Math.floor(localMs / 86_400_000);
    const hour = (localMs - localDay * 86_400_000) / 3_600_000;
    const h0 = Math.floor(hour);
    const frac = hour - h0;
    const shape = DAILY_LOAD[h0]! * (1 - frac) + DAILY_LOAD[(h0 + 1) % 24]! * frac;
    const dow = (((localDay + 3) % 7) + 7) % 7; // 0 = Monday
    const weekend = dow >= 5 ? 1.15 : 1;
    const load = this.baseLoad + this.loadScale * shape * weekend * (0.7 + 0.6 * unitHash(this.seed, slot, 1));

    let solar = 0;
    if (hour > 6 && hour < 18) {
      const dayOfYear = ((localDay % 365.25) + 365.25) % 365.25;
      const season = 0.55 + 0.45 * Math.cos((2 * Math.PI * (dayOfYear - 172)) / 365.25);
      const cloud = 0.25 + 0.75 * unitHash(this.seed, localDay, 2);
      const flicker = 0.85 + 0.15 * unitHash(this.seed, slot, 3);
      solar = this.solarPeak * Math.sin((Math.PI * (hour - 6)) / 12) * season * cloud * flicker;
    }
    const imp = load > solar ? load - solar : 0;
    const exp = solar > load ? solar - load : 0;
    out[ActiveImport] = imp;
    out[ActiveExport] = exp;
    out[ReactiveImport] = imp * (this.reactiveRatio + 0.1 * unitHash(this.seed, slot, 4)) + 15;
    out[ReactiveExport] = exp * 0.04 + 6;
    const dayTariff = hour >= TARIFF1_FROM_HOUR && hour < TARIFF1_TO_HOUR;
    out[ActiveImportTariff1] = dayTariff ? imp : 0;
    out[ActiveImportTariff2] = dayTariff ? 0 : imp;
    return out;
  }

  /** Counter value (Wh / varh, fractional) of a channel at an instant. */
  energyAt(channel: EnergyChannel, utcMs: number): number {
    const slotPos = utcMs / SLOT_MS - this.installSlot;
    if (slotPos <= 0) return this.initial[channel]!;
    const slotIndex = Math.floor(slotPos);
    const day = Math.floor(slotIndex / SLOTS_PER_DAY);
    const inDay = slotIndex - day * SLOTS_PER_DAY;
    const prefix = this.prefixOfDay(day);
    const atSlotStart = prefix[channel * (SLOTS_PER_DAY + 1) + inDay]!;
    const next = prefix[channel * (SLOTS_PER_DAY + 1) + inDay + 1]!;
    return atSlotStart + (next - atSlotStart) * (slotPos - slotIndex);
  }

  /** All counters at once, for a profile capture. */
  energiesAt(utcMs: number, out: Float64Array): Float64Array {
    for (let c = 0; c < CHANNELS; c++) out[c] = this.energyAt(c as EnergyChannel, utcMs);
    return out;
  }

  /** What the meter measures right now; per-second noise makes consecutive reads differ plausibly. */
  instantaneous(utcMs: number): InstantValues {
    const slot = Math.floor(utcMs / SLOT_MS);
    const p = this.slotPower(slot, new Float64Array(CHANNELS));
    const second = Math.floor(utcMs / 1000);
    const jitter = (k: number): number => unitHash(this.seed, second, 10 + k) - 0.5;
    const activeImport = Math.max(0, p[ActiveImport]! * (1 + 0.08 * jitter(0)));
    const activeExport = Math.max(0, p[ActiveExport]! * (1 + 0.08 * jitter(1)));
    const reactiveImport = p[ReactiveImport]! * (1 + 0.05 * jitter(2));
    const reactiveExport = p[ReactiveExport]! * (1 + 0.05 * jitter(3));
    const day = (2 * Math.PI * (utcMs % 86_400_000)) / 86_400_000;
    const flow = activeImport + activeExport;
    const voltage: [number, number, number] = [0, 0, 0];
    const current: [number, number, number] = [0, 0, 0];
    const share = [0.28, 0.35, 0.37];
    for (let i = 0; i < 3; i++) {
      voltage[i] = 230 + 3.5 * Math.sin(day + i * 2.1) - (0.0015 * flow) / 3 + 1.6 * jitter(4 + i) + (activeExport > 0 ? 2.5 : 0);
      current[i] = (flow * share[i]!) / voltage[i]! + 0.05 + 0.02 * jitter(7 + i);
    }
    const frequency = 50 + 0.025 * Math.sin((2 * Math.PI * (utcMs % 600_000)) / 600_000) + 0.02 * jitter(10);
    const q = activeImport > 0 ? reactiveImport : reactiveExport;
    const powerFactor = flow > 0 ? flow / Math.sqrt(flow * flow + q * q) : 1;
    return { activeImport, activeExport, reactiveImport, reactiveExport, voltage, current, frequency, powerFactor };
  }

  /** Running sums inside one day (days counted from installation), cached. */
  private prefixOfDay(day: number): Float64Array {
    const cached = this.dayPrefix.get(day);
    if (cached !== undefined) return cached;
    this.extendDayStarts(day);
    const out = new Float64Array(CHANNELS * (SLOTS_PER_DAY + 1));
    const firstSlot = this.installSlot + day * SLOTS_PER_DAY;
    const power = new Float64Array(CHANNELS);
    for (let c = 0; c < CHANNELS; c++) out[c * (SLOTS_PER_DAY + 1)] = this.dayStarts[day * CHANNELS + c]!;
    for (let s = 0; s < SLOTS_PER_DAY; s++) {
      this.slotPower(firstSlot + s, power);
      for (let c = 0; c < CHANNELS; c++) {
        const i = c * (SLOTS_PER_DAY + 1) + s;
        out[i + 1] = out[i]! + power[c]! / 4; // a slot is a quarter of an hour
      }
    }
    if (this.dayPrefix.size >= 512) this.dayPrefix.clear();
    this.dayPrefix.set(day, out);
    return out;
  }

  private extendDayStarts(day: number): void {
    if (day < this.daysKnown) return;
    if ((day + 1) * CHANNELS > this.dayStarts.length) {
      let size = this.dayStarts.length;
      while (size < (day + 1) * CHANNELS) size *= 2;
      const grown = new Float64Array(size);
      grown.set(this.dayStarts.subarray(0, this.daysKnown * CHANNELS));
      this.dayStarts = grown;
    }
    const power = new Float64Array(CHANNELS);
    const acc = new Float64Array(CHANNELS);
    for (let d = this.daysKnown; d <= day; d++) {
      // Summed in the same order as prefixOfDay, so a day's last running sum equals the next day's start
      // bit for bit and a counter never steps back at midnight.
      for (let c = 0; c < CHANNELS; c++) acc[c] = this.dayStarts[(d - 1) * CHANNELS + c]!;
      const firstSlot = this.installSlot + (d - 1) * SLOTS_PER_DAY;
      for (let s = 0; s < SLOTS_PER_DAY; s++) {
        this.slotPower(firstSlot + s, power);
        for (let c = 0; c < CHANNELS; c++) acc[c] = acc[c]! + power[c]! / 4;
      }
      for (let c = 0; c < CHANNELS; c++) this.dayStarts[d * CHANNELS + c] = acc[c]!;
    }
    this.daysKnown = day + 1;
  }
}

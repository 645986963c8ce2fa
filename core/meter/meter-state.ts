/**
 * Everything one virtual meter remembers, shared by all its connections: how far its clock was
 * moved, values written by clients, the disconnector, the events it logged. Measurements are not
 * stored; they are computed from the clock by the energy model.
 */
import type { DlmsValue } from '../axdr/types.js';
import { europeanDaylightSaving, type ClockZone, type DaylightSavingRule } from './calendar.js';
import type { ResolvedMeterConfig } from './config.js';
import { EnergyModel } from './energy-model.js';
import type { SettingStore } from './object-model.js';
import { hash32, unitHash } from './prng.js';

/** Standard event log codes (DLMS UA / IDIS numbering). */
export const EventCode = {
  powerDown: 1,
  powerUp: 2,
  daylightSavingChanged: 3,
  clockAdjustedOldTime: 4,
  clockAdjustedNewTime: 5,
} as const;

export interface LoggedEvent {
  readonly time: number;
  readonly code: number;
}

/** Disconnect control (class 70) control_state values. */
export const ControlState = { disconnected: 0, connected: 1, readyForReconnection: 2 } as const;

export class MeterState implements SettingStore {
  readonly config: ResolvedMeterConfig;
  readonly energy: EnergyModel;
  /** What SETs of the clock added to the host's time, ms. */
  clockOffsetMs = 0;
  timeZone: number;
  daylightSaving: DaylightSavingRule;
  /**
   * Each client's Low password or HLS secret, by client address; attribute 7 (secret) of the
   * association object changes the caller's own.
   */
  readonly secrets = new Map<number, Uint8Array>();
  /** The IC the meter puts in the next ciphered APDU (or HLS-GMAC proof) it sends. */
  private nextInvocationCounter: number;
  /**
   * The highest invocation counter accepted from a client. One for the meter: its clients share
   * the global keys, so any APDU seen before under them is a replay.
   */
  private lastClientInvocationCounter: number | null = null;
  readonly disconnector = { outputState: true, controlState: ControlState.connected as number, controlMode: 1 };
  /** The tariff a script (a write of active_mask) chose at `from`; it holds until the calendar's next switch. */
  tariffOverride: { readonly tariff: 1 | 2; readonly from: number } | null = null;
  /** When an object's reset method last ran (meter time), by logical name. */
  readonly resets = new Map<string, number>();
  private readonly values = new Map<string, DlmsValue>();
  private readonly recorded: LoggedEvent[] = [];

  constructor(config: ResolvedMeterConfig) {
    this.config = config;
    this.energy = new EnergyModel({ seed: config.seed, installedAt: config.installedAt, timeZone: config.timeZone });
    this.timeZone = config.timeZone;
    this.clockOffsetMs = config.clockOffsetSeconds * 1000;
    this.daylightSaving = europeanDaylightSaving(config.daylightSaving);
    for (const client of config.security.clients) if (client.secret !== null) this.secrets.set(client.address, client.secret);
    this.nextInvocationCounter = config.security.invocationCounter;
  }

  /**
   * Use the meter's invocation counter once: returns the IC to send and reports the next one to
   * the host. Null when the counter is used up (a real meter must then get new keys).
   */
  takeInvocationCounter(): number | null {
    const ic = this.nextInvocationCounter;
    if (ic > 0xffffffff) return null;
    this.nextInvocationCounter = ic + 1;
    this.config.security.onInvocationCounter?.(this.nextInvocationCounter);
    return ic;
  }

  /** The smallest IC the meter accepts from a client now (published at 0-0:43.1.0.255). */
  get expectedClientInvocationCounter(): number {
    return this.lastClientInvocationCounter === null ? 0 : this.lastClientInvocationCounter + 1;
  }

  /** Take a client's IC if it is new (greater than every one accepted); false for a replay. */
  acceptClientInvocationCounter(ic: number): boolean {
    if (ic < this.expectedClientInvocationCounter) return false;
    this.lastClientInvocationCounter = ic;
    return true;
  }

  get zone(): ClockZone {
    return { timeZone: this.timeZone, daylightSaving: this.daylightSaving };
  }

  /** The meter's clock for a host instant. */
  meterTime(hostNowMs: number): number {
    return hostNowMs + this.clockOffsetMs;
  }

  get(key: string): DlmsValue | undefined {
    return this.values.get(key);
  }

  set(key: string, value: DlmsValue): void {
    this.values.set(key, value);
  }

  recordEvent(time: number, code: number): void {
    this.recorded.push({ time, code });
    // Keep memory bounded however many events clients provoke.
    if (this.recorded.length > 4 * this.config.eventLogEntries) this.recorded.splice(0, this.recorded.length - this.config.eventLogEntries);
  }

  /**
   * The newest `capacity` events up to `now`, oldest first: power failures the meter "saw" (about
   * one a month, placed by the seed) merged with what clients caused (clock adjustments ...).
   */
  eventsUpTo(now: number, capacity: number, since = Number.NEGATIVE_INFINITY): LoggedEvent[] {
    const out: LoggedEvent[] = [];
    const firstDay = Math.floor(this.config.installedAt / 86_400_000);
    const seed = this.config.seed;
    for (let day = Math.floor(now / 86_400_000); day >= firstDay && out.length < capacity; day--) {
      if (unitHash(seed, day, 20) >= 0.035) continue;
      const down = day * 86_400_000 + (hash32(seed, day, 21) % 86_400) * 1000;
      const up = down + (60 + (hash32(seed, day, 22) % 5400)) * 1000;
      if (up <= now && up >= since) out.push({ time: up, code: EventCode.powerUp });
      if (down <= now && down >= since) out.push({ time: down, code: EventCode.powerDown });
      if (down < since) break;
    }
    for (const e of this.recorded) if (e.time <= now && e.time >= since) out.push(e);
    out.sort((a, b) => a.time - b.time);
    return out.length > capacity ? out.slice(out.length - capacity) : out;
  }
}

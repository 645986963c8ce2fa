/**
 * The standard event log (0-0:99.98.0.255): clock and event code of the newest events, oldest
 * first. It is small (a few hundred entries at most), so it is built from values, not bytes.
 */
import type { DlmsValue } from '../axdr/types.js';
import { ByteWriter } from '../bytes.js';
import { encodeData } from '../axdr/codec.js';
import { toDlmsDateTime, type ClockZone } from './calendar.js';
import type { LoggedEvent, MeterState } from './meter-state.js';
import { captureObjectDef, type CaptureObjectDef, type ProfileSnapshot, type ProfileSource } from './profile-object.js';
import { dateTime, struct, u8 } from './values.js';

export const EVENT_LOG_CAPTURE_OBJECTS: readonly CaptureObjectDef[] = [captureObjectDef(8, '0-0:1.0.0.255', 2), captureObjectDef(1, '0-0:96.11.0.255', 2)];

export class EventLog implements ProfileSource {
  readonly captureObjects = EVENT_LOG_CAPTURE_OBJECTS;
  readonly capturePeriod = 0;
  readonly capacity: number;
  private readonly state: MeterState;
  private clearedUpTo = Number.NEGATIVE_INFINITY;

  constructor(state: MeterState) {
    this.state = state;
    this.capacity = state.config.eventLogEntries;
  }

  reset(now: number): void {
    this.clearedUpTo = now;
  }

  /** The newest event code, for the event code object 0-0:96.11.0.255. */
  lastEventCode(now: number): number {
    const events = this.events(now);
    return events.length === 0 ? 0 : events[events.length - 1]!.code;
  }

  snapshot(now: number): ProfileSnapshot {
    const events = this.events(now);
    const zone = this.state.zone;
    return {
      entries: events.length,
      firstAtOrAfter: (time) => {
        const i = events.findIndex((e) => e.time >= time);
        return i < 0 ? events.length : i;
      },
      endAtOrBefore: (time) => {
        let i = events.length;
        while (i > 0 && events[i - 1]!.time > time) i--;
        return i;
      },
      encode: (from, to, columns) => encodeEvents(events.slice(from, to), columns, zone),
    };
  }

  private events(now: number): LoggedEvent[] {
    return this.state.eventsUpTo(now, this.capacity, this.clearedUpTo + 1);
  }
}

function encodeEvents(events: readonly LoggedEvent[], columns: readonly number[], zone: ClockZone): Uint8Array {
  const w = new ByteWriter(16 + events.length * 20);
  w.u8(0x01).berLength(events.length);
  for (const e of events) {
    const cells: DlmsValue[] = columns.map((c) => (c === 0 ? dateTime(toDlmsDateTime(e.time, zone)) : u8(e.code)));
    encodeData(w, struct(...cells));
  }
  return w.finish();
}

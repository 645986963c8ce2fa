/**
 * Clock (class 8): the meter's time and how far it is from the computer's. The drift is measured
 * against the middle of the exchange that carried the time, so a slow link does not show up as a
 * clock that is behind.
 */
import { asDateTime, clockStatusNames, dateTimeToIso, hasDeviation } from '../../axdr/datetime.js';
import { NOT_SPECIFIED, type DlmsDateTime } from '../../axdr/types.js';
import { RemoteProtocolError } from '../../errors.js';
import { formatObis } from '../../obis.js';
import { numberOf } from './plain-value.js';
import { instantOf } from './register-readers.js';
import type { ClockReading, Reading } from './types.js';
import { AttributeReader, type RoundTiming } from './value-reader.js';

const TIME = 2;
const TIME_ZONE = 3;

export class ClockReader extends AttributeReader {
  private exchangeMidpoint: number | null = null;

  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    return this.cache.staticValue(8, this.logicalName, TIME_ZONE) === undefined ? [TIME, TIME_ZONE] : [TIME];
  }

  protected override learn(): void {
    const zone = this.answers.get(TIME_ZONE);
    if (zone?.ok === true && numberOf(zone.value) !== undefined) this.cache.setStaticValue(8, this.logicalName, TIME_ZONE, zone.value);
    const time = this.answers.get(TIME);
    const dt = time?.ok === true ? asDateTime(time.value) : null;
    if (dt !== null && hasDeviation(dt)) this.cache.meterDeviation = dt.deviation;
    else if (this.cache.meterDeviation === null && this.timeZone() !== null) this.cache.meterDeviation = this.timeZone();
  }

  protected override onRound(timing: RoundTiming): void {
    this.exchangeMidpoint = (timing.sentAt + timing.answeredAt) / 2;
  }

  private timeZone(): number | null {
    const n = numberOf(this.cache.staticValue(8, this.logicalName, TIME_ZONE) ?? null);
    // 0x8000 on the wire: the meter does not say.
    return n === undefined || n === -0x8000 ? null : Number(n);
  }

  protected build(): Reading {
    const raw = this.valueOf(TIME);
    let dt: DlmsDateTime | null = null;
    if (raw !== null) {
      dt = asDateTime(raw);
      if (dt === null) {
        this.fail(new RemoteProtocolError(`${formatObis(this.logicalName)} time: expected a date-time, got ${raw.type}`, 'unexpected-value'));
      }
    }
    const meterMs = raw === null ? null : instantOf(raw, this.cache);
    const drift = meterMs === null || this.exchangeMidpoint === null ? null : Math.round(meterMs - this.exchangeMidpoint) / 1000;
    const reading: ClockReading = {
      ...this.base(TIME),
      kind: 'clock',
      raw,
      value: dt === null ? null : dateTimeToIso(dt),
      captureTime: meterMs,
      status: dt === null || dt.clockStatus === NOT_SPECIFIED ? null : dt.clockStatus,
      driftSeconds: drift,
      timeZone: this.timeZone(),
      clockStatus: dt === null ? [] : clockStatusNames(dt.clockStatus),
    };
    return reading;
  }
}

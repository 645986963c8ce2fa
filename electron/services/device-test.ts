/**
 * "Test" on a physical device: open the link, negotiate, associate, read the meter's identity (logical
 * device name, serial number, firmware) and its clock with the drift from this computer, and release;
 * each step with its time, or the step that failed and why.
 */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { asDateTime, dateTimeToEpochMs, dateTimeToIso } from '../../core/axdr/datetime.js';
import { formatValue } from '../../core/axdr/format.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { serializeError, type SerializedError } from '../../core/errors.js';
import { obisToBytes, parseObis } from '../../core/obis.js';
import type { ItemResult } from '../../core/session/types.js';
import { withDeviceSession, type DeviceSessionContext } from './device-session.js';
import type { Link } from './links/link.js';

export type TestStepName = 'link' | 'invocation-counter' | 'association' | 'identity' | 'clock' | 'release';

export interface TestStep {
  readonly step: TestStepName;
  readonly ok: boolean;
  /** Milliseconds this step took. */
  readonly ms: number;
  readonly detail: string;
  readonly error?: SerializedError;
}

export interface DeviceTestReport {
  readonly ok: boolean;
  readonly steps: readonly TestStep[];
  readonly identity: { readonly logicalDeviceName: string | null; readonly serialNumber: string | null; readonly firmware: string | null };
  readonly clock: { readonly meterTime: string | null; readonly driftSeconds: number | null };
}

const IDENTITY = [
  ['logicalDeviceName', '0-0:42.0.0.255'],
  ['serialNumber', '0-0:96.1.0.255'],
  ['firmware', '1-0:0.2.0.255'],
] as const;

function text(v: DlmsValue): string {
  if (v.type === 'octet-string' && v.value.every((b) => b >= 0x20 && b < 0x7f)) return String.fromCharCode(...v.value);
  if (v.type === 'visible-string' || v.type === 'utf8-string') return v.value;
  return formatValue(v);
}

export async function testDevice(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  now: () => number = Date.now,
): Promise<DeviceTestReport> {
  const steps: TestStep[] = [];
  let mark = now();
  let current: TestStepName = 'link';
  const done = (step: TestStepName, detail: string, ok = true): void => {
    const t = now();
    steps.push({ step, ok, ms: t - mark, detail });
    mark = t;
  };
  const identity: { logicalDeviceName: string | null; serialNumber: string | null; firmware: string | null } = {
    logicalDeviceName: null,
    serialNumber: null,
    firmware: null,
  };
  const clock: { meterTime: string | null; driftSeconds: number | null } = { meterTime: null, driftSeconds: null };
  try {
    await withDeviceSession(
      settings,
      link,
      {
        ...ctx,
        onStep: (step, detail) => {
          done(step, detail);
          current = step === 'link' ? (settings.invocationCounterObis !== null && settings.securityPolicy !== 'none' ? 'invocation-counter' : 'association') : step === 'invocation-counter' ? 'association' : 'identity';
        },
      },
      async (client) => {
        current = 'identity';
        const results: readonly ItemResult[] = await client.getList(IDENTITY.map(([, obis]) => ({ classId: 1, logicalName: obisToBytes(parseObis(obis)), attributeId: 2 })));
        results.forEach((r, i) => {
          if (r.ok) identity[IDENTITY[i]![0]] = text(r.value);
        });
        const missing = results.filter((r) => !r.ok).length;
        done('identity', `${identity.logicalDeviceName ?? '?'}, serial ${identity.serialNumber ?? '?'}, firmware ${identity.firmware ?? '?'}${missing ? ` (${missing} not readable)` : ''}`);
        current = 'clock';
        const sentAt = now();
        const value = await client.get({ classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), attributeId: 2 });
        const receivedAt = now();
        const dt = asDateTime(value);
        const meterMs = dt === null ? null : dateTimeToEpochMs(dt, 0);
        clock.meterTime = dt === null ? null : dateTimeToIso(dt);
        // Against the middle of the exchange: the meter read its clock somewhere in between.
        clock.driftSeconds = meterMs === null ? null : Math.round((meterMs - (sentAt + receivedAt) / 2) / 100) / 10;
        done('clock', clock.meterTime === null ? `not a date-time: ${formatValue(value)}` : `${clock.meterTime}, ${clock.driftSeconds} s from this computer`);
        current = 'release';
      },
    );
    done('release', 'released and disconnected');
    return { ok: true, steps, identity, clock };
  } catch (e) {
    const error = serializeError(e);
    steps.push({ step: current, ok: false, ms: now() - mark, detail: error.message, error });
    return { ok: false, steps, identity, clock };
  }
}

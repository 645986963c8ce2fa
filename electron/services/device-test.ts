/**
 * "Test" on a physical device: open the link, negotiate, associate, read the meter's identity (logical
 * device name, serial number, firmware, at the codes its object list offers) and its clock with the
 * drift from this computer, and release; each step with its time, or the step that failed and why.
 */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { asDateTime, dateTimeToEpochMs, dateTimeToIso } from '../../core/axdr/datetime.js';
import { formatValue } from '../../core/axdr/format.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { serializeError, TimeoutError, TransportError, type SerializedError } from '../../core/errors.js';
import { formatObis, obisFromBytes, obisToBytes, parseObis } from '../../core/obis.js';
import type { ItemResult } from '../../core/session/types.js';
import { objectsFromList } from '../cli/objects.js';
import { withDeviceSession, type DeviceSessionContext, type SessionClient } from './device-session.js';
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
  /** The OBIS codes the serial number and the firmware were read from (null: none offered, or not read). */
  readonly identityCodes: { readonly serialNumber: string | null; readonly firmware: string | null };
  readonly clock: { readonly meterTime: string | null; readonly driftSeconds: number | null };
}

/**
 * Where meters keep each part of their identity, in the order tried (METERS.md, Identity): the
 * logical device name has one code; the serial number and the firmware version are not at one fixed
 * code, so Test takes the first of these the association's object list offers.
 */
const IDENTITY_CODES = {
  logicalDeviceName: ['0-0:42.0.0.255'],
  serialNumber: ['0-0:96.1.0.255', '0-0:96.1.1.255', '1-0:0.0.0.255'],
  firmware: ['1-0:0.2.0.255', '0-0:0.2.0.255'],
} as const;

type IdentityPart = keyof typeof IDENTITY_CODES;
const PARTS: readonly IdentityPart[] = ['logicalDeviceName', 'serialNumber', 'firmware'];

/** One object the association offers: its class, and whether its attribute 2 may be read. */
interface Offered {
  readonly classId: number;
  readonly readable: boolean;
}

/** Where a part is read from: a listed object, or (no object list) the standard code as Data. */
interface Target {
  readonly part: IdentityPart;
  readonly obis: string;
  readonly classId: number;
}

/** The current association (class 15), whose attribute 2 is the object list. */
const ASSOCIATION_LN = '0-0:40.0.0.255';

/**
 * The association's objects by OBIS code: LN reads attribute 2 of the current Association LN, SN
 * the Association SN's list (which the session keeps for the short names anyway).
 */
async function offeredObjects(client: SessionClient, referencing: DeviceLinkSettings['referencing']): Promise<Map<string, Offered>> {
  const offered = new Map<string, Offered>();
  if (referencing === 'sn') {
    for (const o of await client.readObjectList()) offered.set(formatObis(obisFromBytes(o.logicalName)), { classId: o.classId, readable: true });
    return offered;
  }
  const list = await client.get({ classId: 15, logicalName: obisToBytes(parseObis(ASSOCIATION_LN)), attributeId: 2 });
  for (const o of objectsFromList(list)) {
    // Access rights as "2:r 3:rw"; without rights for attribute 2 the meter is taken at its word.
    const mode = o.attributes
      .split(' ')
      .find((a) => a.startsWith('2:'))
      ?.slice(2);
    offered.set(o.obis, { classId: o.classId, readable: mode !== '-' && mode !== 'w' && mode !== 'aw' });
  }
  return offered;
}

/** The first code of each part the meter offers with a readable value; null where it offers none. */
function targetsFrom(offered: ReadonlyMap<string, Offered>): Record<IdentityPart, Target | null> {
  const pick = (part: IdentityPart): Target | null => {
    for (const obis of IDENTITY_CODES[part]) {
      const o = offered.get(obis);
      if (o !== undefined && o.readable) return { part, obis, classId: o.classId };
    }
    return null;
  };
  return { logicalDeviceName: pick('logicalDeviceName'), serialNumber: pick('serialNumber'), firmware: pick('firmware') };
}

/** Without an object list: the standard code of each part, as a Data object. */
const STANDARD_TARGETS: Record<IdentityPart, Target> = {
  logicalDeviceName: { part: 'logicalDeviceName', obis: IDENTITY_CODES.logicalDeviceName[0], classId: 1 },
  serialNumber: { part: 'serialNumber', obis: IDENTITY_CODES.serialNumber[0], classId: 1 },
  firmware: { part: 'firmware', obis: IDENTITY_CODES.firmware[0], classId: 1 },
};

function text(v: DlmsValue): string {
  if (v.type === 'octet-string' && v.value.every((b) => b >= 0x20 && b < 0x7f)) return String.fromCharCode(...v.value);
  if (v.type === 'visible-string' || v.type === 'utf8-string') return v.value;
  return formatValue(v);
}

/** Told as each step ends: the steps so far and the one running now (null once the test ended). */
export type TestProgress = (steps: readonly TestStep[], running: TestStepName | null) => void;

export async function testDevice(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  now: () => number = Date.now,
  onProgress?: TestProgress,
): Promise<DeviceTestReport> {
  const steps: TestStep[] = [];
  let mark = now();
  let current: TestStepName = 'link';
  const progress = (): void => onProgress?.(steps.slice(), current);
  progress();
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
  const identityCodes: { serialNumber: string | null; firmware: string | null } = { serialNumber: null, firmware: null };
  const clock: { meterTime: string | null; driftSeconds: number | null } = { meterTime: null, driftSeconds: null };
  try {
    await withDeviceSession(
      settings,
      link,
      {
        ...ctx,
        onStep: (step, detail) => {
          done(step, detail);
          current =
            step === 'link'
              ? settings.invocationCounterObis !== null && settings.securityPolicy !== 'none'
                ? 'invocation-counter'
                : 'association'
              : step === 'invocation-counter'
                ? 'association'
                : 'identity';
          progress();
        },
      },
      async (client) => {
        current = 'identity';
        progress();
        // The object list says where this meter keeps its identity; a meter that will not give it
        // is asked at the standard codes. A silent meter or a lost link ends the test here.
        let targets: Record<IdentityPart, Target | null> = STANDARD_TARGETS;
        let listProblem: string | null = null;
        try {
          const offered = await offeredObjects(client, settings.referencing);
          if (offered.size > 0) targets = targetsFrom(offered);
          else listProblem = 'it is empty';
        } catch (e) {
          if (e instanceof TimeoutError || e instanceof TransportError) throw e;
          listProblem = e instanceof Error ? e.message : String(e);
        }
        const reads = PARTS.map((part) => targets[part]).filter((t): t is Target => t !== null);
        const results: readonly ItemResult[] =
          reads.length === 0
            ? []
            : await client.getList(reads.map((t) => ({ classId: t.classId, logicalName: obisToBytes(parseObis(t.obis)), attributeId: 2 })));
        results.forEach((r, i) => {
          if (r.ok) identity[reads[i]!.part] = text(r.value);
        });
        for (const part of ['serialNumber', 'firmware'] as const) identityCodes[part] = targets[part]?.obis ?? null;
        const missing = results.filter((r) => !r.ok).length;
        const where = (part: 'serialNumber' | 'firmware'): string => (targets[part] === null ? ' (not in the object list)' : ` (${targets[part]!.obis})`);
        done(
          'identity',
          `${identity.logicalDeviceName ?? '?'}, serial ${identity.serialNumber ?? '?'}${where('serialNumber')}, firmware ` +
            `${identity.firmware ?? '?'}${where('firmware')}` +
            `${missing ? ` (${missing} not readable)` : ''}` +
            `${listProblem !== null ? ` (object list not readable: ${listProblem}; the standard codes were read)` : ''}`,
        );
        current = 'clock';
        progress();
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
        progress();
      },
    );
    done('release', 'released and disconnected');
    onProgress?.(steps.slice(), null);
    return { ok: true, steps, identity, identityCodes, clock };
  } catch (e) {
    const error = serializeError(e);
    steps.push({ step: current, ok: false, ms: now() - mark, detail: error.message, error });
    onProgress?.(steps.slice(), null);
    return { ok: false, steps, identity, identityCodes, clock };
  }
}

/**
 * Changing a meter: set its clock, write an attribute, call a method. Each runs in one session on the
 * device's link (withDeviceSession), reads what it is about to change first and again afterwards,
 * and records the change in the audit, refused or not. Nothing here asks for confirmation or checks
 * the device's "Allow changes": the callers (the app's handlers, the CLI) do.
 */
import { userInfo } from 'node:os';
import { auditAttributeText, auditParameterText, NO_VALUE, type AuditInput, type AuditKind } from '../../core/app/audit.js';
import {
  asDeclaredType,
  attributesChangedBy,
  CLOCK_ATTRIBUTES,
  CLOCK_CLASS,
  CLOCK_OBIS,
  clockDriftSeconds,
  clockTimeToWrite,
  clockZoneToWrite,
} from '../../core/app/commissioning.js';
import type { ClockChangeView } from '../../core/app/api/types.js';
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { asDateTime, dateTimeToBytes, dateTimeToIso } from '../../core/axdr/datetime.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { attributeName, methodName } from '../../core/cosem/classes.js';
import { AccessError, DlmsError, serializeError, type SerializedError } from '../../core/errors.js';
import { formatObis, obisToBytes, parseObis } from '../../core/obis.js';
import { withDeviceSession, type DeviceSessionContext, type SessionClient } from './device-session.js';
import type { Link } from './links/link.js';

export interface ChangeContext {
  /** The device as the audit names it. */
  readonly deviceName: string;
  /** Stores one audit entry (the readings database's recordAudit). */
  readonly record: (entry: AuditInput) => void;
  /** The OS user; default os.userInfo().username. */
  readonly who?: string;
  readonly now?: () => number;
}

export interface ChangeResult {
  readonly ok: boolean;
  /** The audit's text of the value (write) or of the attributes the method changes (action), before and after. */
  readonly before: string;
  readonly after: string;
  /** The value read before a write; null when it could not be read (or for a method call). */
  readonly beforeValue: DlmsValue | null;
  /** The value read back after a write; null when it could not be read. */
  readonly afterValue: DlmsValue | null;
  readonly error: SerializedError | null;
}

/** The contract's clock change, with the error as the session raised it. */
export type SetClockResult = Omit<ClockChangeView, 'error'> & { readonly error: SerializedError | null };

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The meter's reason for a refusal (its data-access-result or action-result name), else the message. */
export function resultText(e: unknown): string {
  if (e instanceof AccessError) return e.code;
  if (e instanceof DlmsError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function ref(obis: string, classId: number, attributeId: number) {
  return { classId, logicalName: obisToBytes(parseObis(obis)), attributeId };
}

/** Read one attribute; null (not an error) when the meter refuses it. */
async function readOrNull(client: SessionClient, obis: string, classId: number, attributeId: number): Promise<DlmsValue | null> {
  try {
    return await client.get(ref(obis, classId, attributeId));
  } catch (e) {
    if (e instanceof AccessError) return null;
    throw e;
  }
}

interface Attempt {
  kind: AuditKind;
  member: number;
  memberName: string;
  before: string;
  after: string;
  sent: boolean;
}

/**
 * Run a change in a session and record it: the audit entry is written once the change was sent (or
 * refused), whatever happened next; a failure before anything was sent changes nothing and is not recorded.
 */
async function audited<T>(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  change: ChangeContext,
  target: { obis: string; classId: number },
  attempt: Attempt,
  work: (client: SessionClient) => Promise<T>,
): Promise<{ value: T; error: null } | { value: null; error: unknown }> {
  const now = change.now ?? Date.now;
  let outcome: { value: T; error: null } | { value: null; error: unknown };
  try {
    outcome = { value: await withDeviceSession(settings, link, ctx, work), error: null };
  } catch (e) {
    outcome = { value: null, error: e };
  }
  if (attempt.sent) {
    // Refused: the meter kept what it had.
    if (outcome.error instanceof AccessError) attempt.after = attempt.before;
    change.record({
      at: now(),
      deviceId: settings.deviceId,
      deviceName: change.deviceName,
      kind: attempt.kind,
      obis: target.obis,
      classId: target.classId,
      member: attempt.member,
      memberName: attempt.memberName,
      before: attempt.before,
      after: attempt.after,
      result: outcome.error === null ? 'ok' : resultText(outcome.error),
      who: change.who ?? currentUser(),
    });
  }
  return outcome;
}

export interface WriteRequest {
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly value: DlmsValue;
}

/** Read the old value, write (the session uses blocks where the PDU needs them), read back. */
export async function writeAttribute(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  change: ChangeContext,
  req: WriteRequest,
): Promise<ChangeResult> {
  const obis = formatObis(parseObis(req.obis, 'OBIS code'));
  const value = asDeclaredType(req.classId, req.attribute, req.value);
  const text = (v: DlmsValue | null): string => auditAttributeText(req.classId, req.attribute, v);
  const attempt: Attempt = {
    kind: 'write',
    member: req.attribute,
    memberName: attributeName(req.classId, req.attribute) ?? `attribute ${req.attribute}`,
    before: NO_VALUE,
    after: NO_VALUE,
    sent: false,
  };
  let beforeValue: DlmsValue | null = null;
  let afterValue: DlmsValue | null = null;
  const outcome = await audited(settings, link, ctx, change, { obis, classId: req.classId }, attempt, async (client) => {
    beforeValue = await readOrNull(client, obis, req.classId, req.attribute);
    attempt.before = text(beforeValue);
    attempt.after = text(value);
    attempt.sent = true;
    await client.set(ref(obis, req.classId, req.attribute), value);
    afterValue = await readOrNull(client, obis, req.classId, req.attribute);
    attempt.after = afterValue === null ? text(value) : text(afterValue);
  });
  return {
    ok: outcome.error === null,
    before: attempt.before,
    after: attempt.after,
    beforeValue,
    afterValue,
    error: outcome.error === null ? null : serializeError(outcome.error),
  };
}

export interface ActionRequest {
  readonly obis: string;
  readonly classId: number;
  readonly method: number;
  readonly parameters?: DlmsValue;
}

/** "output_state true, control_state enum 1"; `-` when the method changes nothing known. */
async function stateText(client: SessionClient, obis: string, classId: number, attributes: readonly number[]): Promise<string> {
  if (attributes.length === 0) return NO_VALUE;
  const parts: string[] = [];
  for (const a of attributes)
    parts.push(`${attributeName(classId, a) ?? `attribute ${a}`} ${auditAttributeText(classId, a, await readOrNull(client, obis, classId, a))}`);
  return parts.join(', ');
}

/** Invoke a method, reading the attributes it changes (where known) before and after. */
export async function invokeMethod(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  change: ChangeContext,
  req: ActionRequest,
): Promise<ChangeResult> {
  const obis = formatObis(parseObis(req.obis, 'OBIS code'));
  const changed = attributesChangedBy(req.classId, req.method);
  const name = methodName(req.classId, req.method) ?? `method ${req.method}`;
  const attempt: Attempt = {
    kind: 'action',
    member: req.method,
    memberName: req.parameters === undefined ? name : `${name} with ${auditParameterText(req.classId, req.method, req.parameters)}`,
    before: NO_VALUE,
    after: NO_VALUE,
    sent: false,
  };
  const outcome = await audited(settings, link, ctx, change, { obis, classId: req.classId }, attempt, async (client) => {
    attempt.before = await stateText(client, obis, req.classId, changed);
    attempt.after = attempt.before;
    attempt.sent = true;
    await client.action({ classId: req.classId, logicalName: obisToBytes(parseObis(obis)), methodId: req.method }, req.parameters);
    attempt.after = await stateText(client, obis, req.classId, changed);
  });
  return {
    ok: outcome.error === null,
    before: attempt.before,
    after: attempt.after,
    beforeValue: null,
    afterValue: null,
    error: outcome.error === null ? null : serializeError(outcome.error),
  };
}

export interface SetClockRequest {
  /** The time to set (UTC ms); default this computer's time at the moment of writing. */
  readonly time?: number;
  /** Write UTC (deviation 0, no daylight saving) instead of the meter's own zone. */
  readonly utc?: boolean;
}

/**
 * Set the meter's clock: read its time and zone (time_zone, status, daylight-saving deviation and
 * enabled), write the time in the zone it expects, read the time again. Drifts are against this
 * computer's time (for a given time: against that time moved on by the seconds since).
 */
export async function setClock(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  change: ChangeContext,
  req: SetClockRequest = {},
): Promise<SetClockResult> {
  const now = change.now ?? Date.now;
  // A given time runs on from the moment it was asked for, so drift is measured against it.
  const startedAt = now();
  const reference = (ms: number): number => (req.time === undefined ? ms : req.time + (ms - startedAt));
  const attempt: Attempt = { kind: 'set-clock', member: CLOCK_ATTRIBUTES.time, memberName: 'time', before: NO_VALUE, after: NO_VALUE, sent: false };
  const result = {
    meterTimeBefore: null as string | null,
    driftBefore: null as number | null,
    meterTimeAfter: null as string | null,
    driftAfter: null as number | null,
    written: null as string | null,
  };
  const readTime = async (client: SessionClient): Promise<{ iso: string | null; drift: number | null; value: DlmsValue }> => {
    const sentAt = now();
    const value = await client.get(ref(CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.time));
    const receivedAt = now();
    const dt = asDateTime(value);
    return { iso: dt === null ? null : dateTimeToIso(dt), drift: clockDriftSeconds(value, reference(sentAt), reference(receivedAt)), value };
  };
  const outcome = await audited(settings, link, ctx, change, { obis: CLOCK_OBIS, classId: CLOCK_CLASS }, attempt, async (client) => {
    const before = await readTime(client);
    result.meterTimeBefore = before.iso;
    result.driftBefore = before.drift;
    attempt.before = before.iso ?? auditAttributeText(CLOCK_CLASS, 2, before.value);
    const zone = clockZoneToWrite({
      time: before.value,
      timeZone: await readOrNull(client, CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.timeZone),
      status: await readOrNull(client, CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.status),
      dstDeviation: await readOrNull(client, CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.dstDeviation),
      dstEnabled: await readOrNull(client, CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.dstEnabled),
    });
    const dt = clockTimeToWrite(reference(now()), zone, req.utc === true);
    result.written = dateTimeToIso(dt);
    attempt.after = result.written ?? NO_VALUE;
    attempt.sent = true;
    await client.set(ref(CLOCK_OBIS, CLOCK_CLASS, CLOCK_ATTRIBUTES.time), { type: 'octet-string', value: dateTimeToBytes(dt) });
    const after = await readTime(client);
    result.meterTimeAfter = after.iso;
    result.driftAfter = after.drift;
    attempt.after = after.iso ?? attempt.after;
  });
  return { ok: outcome.error === null, ...result, error: outcome.error === null ? null : serializeError(outcome.error) };
}

/**
 * The app's side of changing a meter: writes, method calls and setting the clock, each only on a
 * saved device whose "Allow changes to this meter" is on, each recorded in the audit (the readings
 * database) whatever the meter answers. The confirmation is the page's; this refuses what the device
 * does not allow, so nothing changes a meter by accident through any other path of the API either.
 */
import type { AuditEntryView, ChangeView, ClockChangeView, ExportOutcome } from '../../../core/app/api/types.js';
import { dlmsValueFromJson, dlmsValueToJson, type DlmsJson } from '../../../core/axdr/json.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { isSecretAttribute } from '../../../core/cosem/secret-members.js';
import { FIELD_LABELS } from '../../../core/app/labels.js';
import type { PhysicalDevice } from '../../../core/app/schema.js';
import { InputError } from '../../../core/errors.js';
import { invokeMethod, setClock, writeAttribute, type ChangeContext } from '../commissioning.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { ExportService } from './exports.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import { apiErrorOf } from './views.js';

export interface WriteArgs {
  readonly deviceId: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  /** The typed value in the JSON form `read --json` prints (core/axdr/json.ts). */
  readonly value: unknown;
}

export interface ActionArgs {
  readonly deviceId: string;
  readonly obis: string;
  readonly classId: number;
  readonly method: number;
  readonly parameters?: unknown;
}

export interface SetClockArgs {
  readonly deviceId: string;
  readonly time?: number;
  readonly utc?: boolean;
}

export class ChangeService {
  constructor(
    private readonly services: SessionServices,
    private readonly db: () => ReadingsDatabase,
    private readonly exports: ExportService,
  ) {}

  /** The saved device, if changes to it are allowed; otherwise an InputError saying what to turn on. */
  private allowed(deviceId: string): PhysicalDevice {
    const device = this.services.config().devices.find((d) => d.id === deviceId);
    if (device === undefined) throw new InputError('Physical device', deviceId, 'no saved physical device has this ID; save it first');
    if (device.allowChanges !== true) {
      throw new InputError(
        FIELD_LABELS.device.allowChanges,
        'off',
        `physical device "${device.name}" does not allow changes: turn "${FIELD_LABELS.device.allowChanges}" on on its page to write, call methods or ` +
          `set the clock`,
      );
    }
    return device;
  }

  private change(device: PhysicalDevice): ChangeContext {
    return { deviceName: device.name, record: (entry) => this.db().recordAudit(entry) };
  }

  async write(args: WriteArgs): Promise<ChangeView> {
    const device = this.allowed(args.deviceId);
    const value = dlmsValueFromJson(args.value, 'value');
    const settings = settingsOf(this.services.config(), device);
    const { link, context } = sessionFor(this.services, settings);
    const r = await writeAttribute(settings, link, context, this.change(device), { obis: args.obis, classId: args.classId, attribute: args.attribute, value });
    const json = (v: DlmsValue | null): DlmsJson | null => (v === null ? null : dlmsValueToJson(v));
    return {
      ok: r.ok,
      before: r.before,
      after: r.after,
      ...(isSecretAttribute(args.classId, args.attribute) ? {} : { values: { before: json(r.beforeValue), after: json(r.afterValue) } }),
      error: r.error === null ? null : apiErrorOf(r.error),
    };
  }

  async action(args: ActionArgs): Promise<ChangeView> {
    const device = this.allowed(args.deviceId);
    const parameters = args.parameters === undefined ? undefined : dlmsValueFromJson(args.parameters, 'parameters');
    const settings = settingsOf(this.services.config(), device);
    const { link, context } = sessionFor(this.services, settings);
    const r = await invokeMethod(settings, link, context, this.change(device), {
      obis: args.obis,
      classId: args.classId,
      method: args.method,
      ...(parameters === undefined ? {} : { parameters }),
    });
    return { ok: r.ok, before: r.before, after: r.after, error: r.error === null ? null : apiErrorOf(r.error) };
  }

  async setClock(args: SetClockArgs): Promise<ClockChangeView> {
    const device = this.allowed(args.deviceId);
    const settings = settingsOf(this.services.config(), device);
    const { link, context } = sessionFor(this.services, settings);
    const r = await setClock(settings, link, context, this.change(device), {
      ...(args.time === undefined ? {} : { time: args.time }),
      ...(args.utc === undefined ? {} : { utc: args.utc }),
    });
    return { ...r, error: r.error === null ? null : apiErrorOf(r.error) };
  }

  /** A device's changes (or every device's), newest first. */
  list(deviceId?: string): readonly AuditEntryView[] {
    return this.db().auditEntries(deviceId);
  }

  exportCsv(deviceId?: string): Promise<ExportOutcome> {
    return this.exports.auditCsv(deviceId);
  }
}

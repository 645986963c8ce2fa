/**
 * The Test and Browse buttons: a device test step by step, a connection opened and closed, a group
 * read once (shown, not stored) and the meter's object list. Each runs on the connection's shared
 * link, so it waits for a poll in progress instead of talking over it, and shows in its trace.
 */
import { readDevice } from '../device-read.js';
import type {
  ConnectionTestView,
  DeviceTestView,
  GroupReadings,
  ObjectListItem,
  ReadingView,
  TestProgressEvent,
  TestStepView,
} from '../../../core/app/api/types.js';
import { classLabel } from '../../../core/app/labels.js';
import { groupJobNote, jobStartNote } from '../../../core/app/trace-notes.js';
import type { Connection, CosemGroup, PhysicalDevice } from '../../../core/app/schema.js';
import { DeviceCache } from '../../../core/app/reading/index.js';
import { obisFromBytes, obisToBytes, parseObis, formatObis, standardName } from '../../../core/obis.js';
import { objectsFromList } from '../../cli/objects.js';
import { testDevice, type TestStep } from '../device-test.js';
import { withDeviceSession } from '../device-session.js';
import { connectionLinkSettings, makeLink } from './links.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import type { StatusBoard } from './status.js';
import { apiError, apiErrorOf, readingView } from './views.js';

/** The device Tests running now, by device ID, so Cancel can stop them. */
export class RunningTests {
  private readonly running = new Map<string, AbortController>();

  start(deviceId: string): AbortSignal {
    // A second Test of the same device replaces the first: its Cancel stops the newest.
    this.running.get(deviceId)?.abort();
    const controller = new AbortController();
    this.running.set(deviceId, controller);
    return controller.signal;
  }

  finished(deviceId: string, signal: AbortSignal): void {
    const controller = this.running.get(deviceId);
    if (controller?.signal === signal) this.running.delete(deviceId);
  }

  cancel(deviceId: string): boolean {
    const controller = this.running.get(deviceId);
    if (controller === undefined) return false;
    controller.abort();
    this.running.delete(deviceId);
    return true;
  }
}

function stepView(s: TestStep): TestStepView {
  return { step: s.step, ok: s.ok, ms: s.ms, detail: s.detail, ...(s.error ? { error: apiErrorOf(s.error) } : {}) };
}

export async function deviceTest(
  services: SessionServices,
  status: StatusBoard,
  device: PhysicalDevice,
  tests: RunningTests,
  onProgress: (event: TestProgressEvent) => void,
): Promise<DeviceTestView> {
  const settings = settingsOf(services.config(), device);
  const { link, context } = sessionFor(services, settings);
  const saved = services.config().devices.some((d) => d.id === device.id);
  if (saved) status.started('devices', device.id);
  const signal = tests.start(device.id);
  let report;
  try {
    report = await testDevice(
      settings,
      link,
      { ...context, signal, traceNote: jobStartNote('device test', `device "${device.name}"`) },
      Date.now,
      (steps, running) => onProgress({ deviceId: device.id, steps: steps.map(stepView), running }),
    );
  } finally {
    tests.finished(device.id, signal);
  }
  if (saved) {
    const failed = report.steps.find((s) => !s.ok);
    status.finished('devices', device.id, Date.now(), failed?.error ? apiErrorOf(failed.error) : null);
  }
  return {
    ok: report.ok,
    steps: report.steps.map(stepView),
    identity: report.identity,
    clock: report.clock,
  };
}

export async function connectionTest(services: SessionServices, connection: Connection): Promise<ConnectionTestView> {
  const settings = connectionLinkSettings(connection);
  const steps: TestStepView[] = [];
  let mark = Date.now();
  const shared = services.links.existing(connection.id, settings);
  let link;
  try {
    link = shared ?? makeLink(settings);
  } catch (e) {
    steps.push({ step: 'open', ok: false, ms: 0, detail: apiError(e).message, error: apiError(e) });
    return { ok: false, steps };
  }
  let jobEnded = mark;
  try {
    await link.run(async (t) => {
      const now = Date.now();
      steps.push({ step: 'open', ok: true, ms: now - mark, detail: `${t.description} opened` });
      jobEnded = now;
    });
  } catch (e) {
    const err = apiError(e);
    steps.push({ step: 'open', ok: false, ms: Date.now() - mark, detail: err.message, error: err });
    if (shared === undefined) await link.close().catch(() => undefined);
    return { ok: false, steps };
  }
  mark = jobEnded;
  const persistent = settings.kind === 'tcp' ? settings.persistent : !settings.modeE;
  try {
    if (shared === undefined) await link.close();
    const detail = shared !== undefined && persistent ? 'left open: the connection is persistent and in use by polling' : `${link.description} closed`;
    steps.push({ step: 'close', ok: true, ms: Date.now() - mark, detail });
  } catch (e) {
    const err = apiError(e);
    steps.push({ step: 'close', ok: false, ms: Date.now() - mark, detail: err.message, error: err });
  }
  return { ok: steps.every((s) => s.ok), steps };
}

/** Every enabled value of the group as drafted, read once per device; shown, not stored. */
export async function groupTest(services: SessionServices, group: CosemGroup): Promise<GroupReadings> {
  const config = services.config();
  const values = group.values.filter((v) => v.enable);
  const deviceIds = [...new Set(values.map((v) => v.deviceId))];
  const readAt = Date.now();
  const failures: { deviceId: string; error: ReturnType<typeof apiError> }[] = [];
  const byDevice = await Promise.all(
    deviceIds.map(async (deviceId): Promise<ReadingView[]> => {
      const mine = values.filter((v) => v.deviceId === deviceId);
      try {
        const device = config.devices.find((d) => d.id === deviceId);
        if (device === undefined) throw new Error(`physical device "${deviceId}" is not saved; save it first`);
        const settings = settingsOf(config, device);
        const { link, context } = sessionFor(services, settings);
        const requests = mine.map((v) => ({
          name: v.name,
          obis: v.obis,
          classId: v.classId,
          attribute: v.attribute,
          ...(v.entries != null ? { entries: v.entries } : {}),
        }));
        const readings = await readDevice(
          settings,
          link,
          { ...context, traceNote: groupJobNote('group test', group, deviceId, config.devices) },
          new DeviceCache(),
          requests,
        );
        return readings.map((r, i) => readingView(r, deviceId, mine[i]?.id ?? null));
      } catch (e) {
        failures.push({ deviceId, error: apiError(e) });
        return [];
      }
    }),
  );
  const order = new Map(values.map((v, i) => [v.id, i]));
  const readings = byDevice.flat().sort((a, b) => (order.get(a.valueId ?? '') ?? 0) - (order.get(b.valueId ?? '') ?? 0));
  return { groupId: group.id, readAt, readings, failures };
}

/** The objects the association may reach: LN from its object_list, SN from the SN list. */
export async function browseObjects(services: SessionServices, device: PhysicalDevice): Promise<ObjectListItem[]> {
  const settings = settingsOf(services.config(), device);
  const { link, context } = sessionFor(services, settings);
  return withDeviceSession(settings, link, context, async (client) => {
    if (settings.referencing === 'sn') {
      return (await client.readObjectList()).map((o) => {
        const obis = obisFromBytes(o.logicalName);
        return { obis: formatObis(obis), classId: o.classId, version: o.version, name: standardName(obis) ?? '', classLabel: classLabel(o.classId) };
      });
    }
    const list = await client.get({ classId: 15, logicalName: obisToBytes(parseObis('0-0:40.0.0.255')), attributeId: 2 });
    return objectsFromList(list).map((o) => ({ obis: o.obis, classId: o.classId, version: o.version, name: o.name, classLabel: classLabel(o.classId) }));
  });
}

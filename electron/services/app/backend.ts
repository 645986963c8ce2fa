/**
 * The app's backend: every method of the API contract over the services (configuration store,
 * poller, readings database, links, traces, CSV export, the demo meter), and the events it pushes.
 * Electron main and the browser-mode server each build one and carry it over their own channel.
 */
import { join } from 'node:path';
import type { ApiHandlers } from '../../../core/app/api/contract.js';
import { EventHub } from '../../../core/app/api/rpc.js';
import type { AppInfo, SerialPortView } from '../../../core/app/api/types.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { importConfigJson } from '../../../core/app/config-import.js';
import { configToJson } from '../../../core/app/validate.js';
import { toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import { Engine } from '../engine/host.js';
import { MeterLimitsBook } from '../../../core/app/reading/meter-limits.js';
import { clientSystemTitle, setClientSystemTitle } from '../installation.js';
import { InvocationCounterStore } from '../invocation-counters.js';
import { PortWatcher } from '../links/port-watcher.js';
import { listSerialPorts, type SerialPortInfo } from '../links/serial-ports.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../readings/readings-database.js';
import { dayStamp, exportedConfig, safeFileName, withItem, withoutItem, withSettings, type ItemList } from './config-edits.js';
import { DemoMeter, withDemo, withDemoPort, withoutDemo } from './demo.js';
import { ChangeService } from './changes.js';
import { ReportService } from './report-service.js';
import { browseObjects, connectionTest, deviceTest, groupTest, RunningTests } from './device-actions.js';
import { ExportService } from './exports.js';
import { LinkRegistry } from './links.js';
import { MeterPage } from './meter-page.js';
import { PollingService } from './polling.js';
import { ProfileService } from './profiles.js';
import { ReadingsQueries } from './readings-queries.js';
import type { MutableContext, SessionServices } from './sessions.js';
import { StatusBoard } from './status.js';
import { PAGE_BYTES, TraceRegistry } from './traces.js';
import type { AppBackend, AppBackendOptions, StoredState } from './types.js';
import { chartOptions, chartView } from './views.js';

/** How often the serial ports are listed again, to notice a probe plugged in. */
const PORT_WATCH_MS = 2000;
/** How long close() waits for a job in progress to notice its link closing. */
const CLOSE_WAIT_MS = 3000;

function portView(p: SerialPortInfo): SerialPortView {
  return { path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, pnpId: p.pnpId };
}

export function createAppBackend(options: AppBackendOptions): AppBackend {
  const events = new EventHub();
  let state: StoredState = options.store.load();
  let db: ReadingsDatabase | null = null;
  let engine: Engine | null = null;
  let started = false;
  let closed = false;
  let watcher: PortWatcher | null = null;
  const demoMeter = new DemoMeter();

  const context: MutableContext = {
    counters: new InvocationCounterStore(join(options.dataDir, 'invocation-counters.json')),
    // Propose the largest frames and window; meters answer with what they can do.
    hdlc: { maxInfo: 2030, window: 7 },
    // What each meter has shown it cannot take, for every poll, Test and read of the app's run.
    meterLimits: new MeterLimitsBook(),
  };
  const links = new LinkRegistry();
  // Frames go only to the clients watching a connection ('trace.watch'), never through `events`.
  const traces = new TraceRegistry();
  const services: SessionServices = { context, links, traces, config: () => state.config };
  const tests = new RunningTests();
  const meterPage = new MeterPage(services, () => database());
  const status = new StatusBoard((s) => events.emit('status', s));
  const database = (): ReadingsDatabase => {
    if (db === null) throw new InputError('readings database', options.dataDir, closed ? 'the app is closing' : 'the backend has not started yet');
    return db;
  };
  let polling: PollingService | null = null;
  const queries = new ReadingsQueries(database);
  const profiles = new ProfileService(services, database, (p) => events.emit('progress', p));
  const exports = new ExportService(options, database, () => state.config, profiles);
  const changes = new ChangeService(services, database, exports);
  const reports = new ReportService(options, services, database);

  /** Keep a new state: saved first (nothing unsaved is used), then every service follows it. */
  function commit(next: StoredState): AppConfig {
    options.store.save(next);
    state = next;
    links.prune(next.config);
    traces.prune(next.config);
    meterPage.prune(next.config);
    polling?.apply(next.config);
    status.sync(next.config, polling?.polling ?? false);
    events.emit('config', next.config);
    return next.config;
  }

  const setConfig = (config: AppConfig): AppConfig => commit({ ...state, config });

  /** The demo items still in the configuration (a person may have deleted some by hand). */
  function demoInstalled(): boolean {
    const d = state.demo;
    return (
      d !== null &&
      (state.config.connections.some((c) => c.id === d.connectionId) ||
        state.config.devices.some((x) => x.id === d.deviceId) ||
        state.config.groups.some((g) => g.id === d.groupId))
    );
  }

  function info(): AppInfo {
    return {
      version: options.version,
      mode: options.mode,
      platform: process.platform,
      dataDir: options.dataDir,
      clientSystemTitle: toHex(context.systemTitle ?? clientSystemTitle(options.dataDir)).toUpperCase(),
      demo: { installed: demoInstalled(), meterRunning: demoMeter.running, port: demoMeter.port },
    };
  }

  async function addDemo(): Promise<AppConfig> {
    if (demoInstalled()) {
      const port = await demoMeter.start();
      const ids = state.demo!;
      if (ids.meterPort !== port) return commit({ ...state, config: withDemoPort(state.config, ids, port), demo: { ...ids, meterPort: port } });
      return state.config;
    }
    const port = await demoMeter.start();
    try {
      const { config, ids } = withDemo(state.config, port);
      return commit({ ...state, config, demo: ids });
    } catch (e) {
      await demoMeter.stop();
      throw e;
    }
  }

  async function removeDemo(): Promise<AppConfig> {
    const ids = state.demo;
    if (ids === null) {
      await demoMeter.stop();
      return state.config;
    }
    const config = withoutDemo(state.config, ids);
    const result = commit({ ...state, config, demo: null });
    await demoMeter.stop();
    return result;
  }

  const save =
    <L extends ItemList>(list: L) =>
    async (item: Parameters<typeof withItem<L>>[2]) =>
      setConfig(withItem(state.config, list, item));
  const remove =
    (list: ItemList) =>
    async ({ id }: { id: string }) =>
      setConfig(withoutItem(state.config, list, id));

  const handlers: ApiHandlers = {
    'app.info': async () => info(),
    'app.setClientSystemTitle': async ({ hex }) => {
      context.systemTitle = setClientSystemTitle(options.dataDir, hex);
      return info();
    },
    'config.get': async () => state.config,
    'settings.save': async (settings) => setConfig(withSettings(state.config, settings)),
    'config.export': async ({ includeSecrets }) => ({
      json: configToJson(exportedConfig(state.config, includeSecrets)),
      fileName: `cosem-studio-config-${dayStamp(Date.now())}.json`,
    }),
    'config.import': async ({ json, secrets }) => {
      const config = importConfigJson(json, state.config, secrets);
      const d = state.demo;
      // An imported file replaces everything: the demo is gone unless the file kept its connection.
      const keepsDemo = d !== null && config.connections.some((c) => c.id === d.connectionId && c.tcp.host === '127.0.0.1' && c.tcp.port === d.meterPort);
      const result = commit({ ...state, config, demo: keepsDemo ? d : null });
      if (!keepsDemo) await demoMeter.stop();
      return result;
    },
    'connections.save': save('connections'),
    'connections.delete': remove('connections'),
    'connections.test': (connection) => connectionTest(services, connection),
    'devices.save': save('devices'),
    'devices.delete': remove('devices'),
    'devices.test': (device) => deviceTest(services, status, device, tests, (p) => events.emit('test', p)),
    'devices.cancelTest': async ({ id }) => ({ cancelled: tests.cancel(id) }),
    'devices.browse': (device) => browseObjects(services, device),
    'groups.save': save('groups'),
    'groups.delete': remove('groups'),
    'groups.test': (group) => groupTest(services, group),
    'ports.list': async () => (watcher !== null && watcher.ports.length > 0 ? watcher.ports : (await listSerialPorts()).ports).map(portView),
    'status.get': async () => status.snapshot(),
    'readings.latest': async ({ groupId }) => {
      const group = state.config.groups.find((g) => g.id === groupId);
      if (group === undefined) throw new InputError('Cosem group', groupId, 'no cosem group has this ID');
      return polling?.latestOf(groupId) ?? queries.latestPoll(group);
    },
    'readings.chart': async ({ groupId, range, ...options }) => database().chartGroup(groupId, range, chartOptions(options)).map(chartView),
    'profiles.list': async ({ deviceId }) => profiles.list(deviceId),
    'profiles.chart': async ({ profileId, range, ...options }) => profiles.chart(profileId, range, options),
    'profiles.table': async ({ profileId, range, page, limit }) => profiles.table(profileId, range, page, limit),
    'profiles.read': async ({ groupId, valueId, range }) => {
      database();
      return profiles.read(groupId, valueId, range);
    },
    'profiles.cancel': async ({ jobId }) => profiles.cancel(jobId),
    'export.groupCsv': ({ groupId, range, format }) => exports.groupCsv(groupId, range, format),
    'export.profileCsv': ({ profileId, range, format }) => exports.profileCsv(profileId, range, format),
    'trace.links': async () => traces.links(),
    'trace.get': async ({ connectionId, after, limit }) => traces.get(connectionId)?.views(after, limit, PAGE_BYTES) ?? [],
    'trace.watch': async ({ connectionId }, peer) => traces.watch(peer, connectionId),
    'trace.unwatch': async ({ watchId }, peer) => traces.unwatch(peer, watchId),
    'trace.pause': async ({ connectionId, paused }) => traces.pause(connectionId, paused),
    'trace.clear': async ({ connectionId }) => {
      const t = traces.get(connectionId);
      const cleared = t?.size ?? 0;
      t?.clear();
      return { cleared };
    },
    'trace.export': async ({ connectionId, ranges }) => {
      const c = state.config.connections.find((x) => x.id === connectionId);
      const text = traces.get(connectionId)?.exportText(ranges) ?? '';
      return { text: text === '' ? '' : `${text}\n`, fileName: `trace-${safeFileName(c?.name ?? connectionId)}-${dayStamp(Date.now())}.txt` };
    },
    'meter.objects': ({ deviceId, refresh }) => meterPage.objects(deviceId, refresh),
    'meter.read': (args) => meterPage.read(args),
    'meter.write': (args) => changes.write(args),
    'meter.action': (args) => changes.action(args),
    'meter.setClock': (args) => changes.setClock(args),
    'audit.list': async ({ deviceId }) => changes.list(deviceId),
    'export.auditCsv': ({ deviceId }) => changes.exportCsv(deviceId),
    'report.device': (args) => reports.device(args),
    'demo.add': () => addDemo(),
    'demo.remove': () => removeDemo(),
  };

  async function start(): Promise<void> {
    if (started) return;
    started = true;
    context.systemTitle = clientSystemTitle(options.dataDir);
    db = openReadingsDatabase({ folder: options.dataDir });
    if (options.useEngine !== false) {
      engine = new Engine();
      context.engine = engine;
      context.countersFile = join(options.dataDir, 'invocation-counters.json');
    }
    if (state.demo !== null && demoInstalled()) {
      const port = await demoMeter.start();
      if (port !== state.demo.meterPort) {
        const ids = { ...state.demo, meterPort: port };
        state = { ...state, config: withDemoPort(state.config, ids, port), demo: ids };
        options.store.save(state);
      }
    }
    polling = new PollingService({ services, db, status, onReadings: (r) => events.emit('readings', r) });
    if (!state.firstRunDone && options.demoOnFirstRun !== false) {
      state = { ...state, firstRunDone: true };
      try {
        await addDemo();
      } catch {
        // A first run without its demo is still a working app; demo.add says why when asked.
        options.store.save(state);
      }
    } else if (!state.firstRunDone) {
      state = { ...state, firstRunDone: true };
      options.store.save(state);
    }
    polling.apply(state.config);
    status.sync(state.config, polling.polling);
    if (options.watchPorts !== false) {
      watcher = new PortWatcher({ onChange: (change) => events.emit('ports', change.list.ports.map(portView)) });
      watcher.start(PORT_WATCH_MS);
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    watcher?.stop();
    await polling?.close();
    await profiles.close(CLOSE_WAIT_MS);
    await links.closeAll();
    await polling?.settle(CLOSE_WAIT_MS);
    traces.flush();
    traces.close();
    status.close();
    await engine?.terminate().catch(() => undefined);
    engine = null;
    await demoMeter.stop();
    queries.close();
    db?.close();
    db = null;
  }

  return { handlers, events, start, close };
}

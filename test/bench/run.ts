/**
 * Benchmarks: `npm run bench` prints a table; `npm run bench -- --json` prints, as its last line, one
 * JSON object of named figures. Each figure is the median of several runs after a warm-up.
 *
 *   profile_decode_ms_10k  decode one GET.response carrying a 10,000-row x 6-column profile buffer
 *                          (clock + 5 registers) and turn it into named, scaled, timestamped rows.
 *   fuzz_inputs_per_s      inputs per second the fuzzer drives through its 8 targets.
 *   soak_rss_growth        resident memory growth of a 150 s soak at the spec's maximum configuration.
 *   strict_profile_*       170 load-profile rows from the strict meter (HDLC 128 / window 1) at 9600 baud.
 *   cli_start_ms           median wall time of `cosem-studio --help` as a new process.
 *   ui_long_task_max_ms    the longest long task of the page in issue 13's browser-mode scenario (ui-scenario.ts).
 *   year_read_polling_s    the whole year of load profile by Read range while a 1 s group polls (year-read.ts).
 *   profile_poll_interval_s  then the median time between two polls of that group (Entries 32767, interval 1 s).
 *
 * `--only a,b` runs only the figures whose names start with one of these (e.g. `--only strict_profile`).
 */
import { decodeApdu, encodeApdu } from '../../core/apdu/codec.js';
import { decodeFrame } from '../../core/hdlc/frame.js';
import { HdlcFramer } from '../../core/hdlc/framer.js';
import { LLC_HEADER_LENGTH } from '../../core/hdlc/llc.js';
import type { InMemoryPeer } from '../../core/session/memory-transport.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { profileRows, type CaptureObject } from '../../core/cosem/profile.js';
import { dateTimeFromEpochMs, dateTimeToBytes } from '../../core/axdr/datetime.js';
import { obisKey, obisToBytes, parseObis } from '../../core/obis.js';
import { encodeDataBytes } from '../../core/axdr/codec.js';
import { oneByteAddress } from '../../core/hdlc/address.js';
import { HdlcLink } from '../../core/hdlc/link.js';
import { createVirtualMeter } from '../../core/meter/index.js';
import { DlmsClient } from '../../core/session/client.js';
import { LineEmulator } from './line-emulator.js';
import { DeviceCache, readValues } from '../../core/app/reading/index.js';
import { InMemoryTransport } from '../../core/session/memory-transport.js';
import { WrapperLink } from '../../core/wrapper/link.js';
import { fuzzInputsPerSecond } from '../fuzz/bench.js';
import { maximumConfiguration, runSoak, startMeters } from '../soak/soak.js';
import { cliStartMs } from './cli-start.js';
import { flag, optionValue, parseArgs, usageOf, type OptionSpec, type ParsedArgs } from '../../electron/cli/args.js';
import { EIGHTEEN_REGISTERS } from './year-meter.js';

interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly target?: string;
  readonly value: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function measure(runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const CAPTURE_OBJECTS: CaptureObject[] = [
  { classId: 8, logicalName: parseObis('0-0:1.0.0.255'), attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: parseObis('1-0:1.8.0.255'), attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: parseObis('1-0:2.8.0.255'), attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: parseObis('1-0:3.8.0.255'), attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: parseObis('1-0:4.8.0.255'), attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: parseObis('1-0:1.7.0.255'), attributeIndex: 2, dataIndex: 0 },
];

/** A GET.response-normal as a meter sends it for a 15-minute load profile of `rows` entries. */
function profileResponse(rows: number): Uint8Array {
  const start = Date.UTC(2026, 0, 1);
  const entries: DlmsValue[] = [];
  for (let i = 0; i < rows; i++) {
    const dt = dateTimeFromEpochMs(start + i * 900_000, 0);
    entries.push({
      type: 'structure',
      items: [
        { type: 'octet-string', value: dateTimeToBytes(dt) },
        { type: 'double-long-unsigned', value: 1_000_000 + i * 37 },
        { type: 'double-long-unsigned', value: 20_000 + i * 3 },
        { type: 'double-long-unsigned', value: 400_000 + i * 11 },
        { type: 'double-long-unsigned', value: 90_000 + i * 2 },
        { type: 'double-long', value: 1500 + (i % 300) },
      ],
    });
  }
  return encodeApdu({
    kind: 'get-response-normal',
    invokeIdAndPriority: 0xc1,
    result: { kind: 'data', data: { type: 'array', items: entries } },
  });
}

function profileDecode10k(): Figure {
  const bytes = profileResponse(10_000);
  const scalerUnits = new Map(CAPTURE_OBJECTS.slice(1).map((c) => [obisKey(c.logicalName), { scaler: 0, unit: 30 }]));
  let rows = 0;
  const ms = measure(9, () => {
    const apdu = decodeApdu(bytes);
    if (apdu.kind !== 'get-response-normal' || apdu.result.kind !== 'data') throw new Error('not a data response');
    const table = profileRows(CAPTURE_OBJECTS, apdu.result.data, { scalerUnits, capturePeriodSeconds: 900, omitRaw: true });
    rows = table.rows.length;
  });
  if (rows !== 10_000) throw new Error(`decoded ${rows} rows instead of 10000`);
  return { name: 'profile_decode_ms_10k', unit: 'ms', target: '< 50', value: Math.round(ms * 100) / 100 };
}

/**
 * A 2,880-row, 4-channel, 15-minute profile read from the virtual meter over a 9600-baud line (960
 * bytes/s each way, 20 ms turnaround), from opening the link to the release: the profile's payload
 * bytes over what the line could have carried in that time. The client proposes the largest HDLC frame
 * and window the standard allows and the meter accepts them, as good meters do.
 */
async function wireEfficiency9600(): Promise<Figure> {
  const meter = createVirtualMeter({ profile: { rows: 2880 }, hdlc: { maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 } });
  const line = new LineEmulator(meter.connection('hdlc'), { bytesPerSecond: 960, turnaroundMs: 20 });
  const client = new DlmsClient(
    new HdlcLink({
      role: 'client',
      clientAddress: 16,
      serverAddress: oneByteAddress(1),
      proposed: { maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 },
    }),
    line,
    // As the app's and the CLI's sessions: a receive PDU that fills whole 128-byte frames.
    { responseTimeoutMs: 30_000, alignPduToFrames: true },
  );
  const start = line.now();
  await client.open();
  const buffer = await client.get({ classId: 7, logicalName: obisToBytes(parseObis('1-0:99.1.0.255')), attributeId: 2 });
  await client.release();
  const seconds = (line.now() - start) / 1000;
  if (buffer.type !== 'array' || buffer.items.length !== 2880) throw new Error('the profile did not come whole');
  const payload = encodeDataBytes(buffer).length;
  return { name: 'wire_efficiency_9600', unit: 'ratio', target: '>= 0.90', value: Math.round((payload / (seconds * 960)) * 1000) / 1000 };
}

/**
 * Counts, on the meter's side of the line, the HDLC I-frames that carry the answers to the buffer's
 * own requests: a GET of a profile buffer (class 7, attribute 2) and the GET-next requests that
 * follow it, each answer frame including the segments the client fetched with RR.
 */
class BufferFrameCounter implements InMemoryPeer {
  frames = 0;
  bufferBytes = 0;
  private inBuffer = false;
  private readonly framer = new HdlcFramer();

  constructor(private readonly meter: InMemoryPeer) {}

  get dropped(): boolean {
    return this.meter.dropped === true;
  }

  receive(chunk: Uint8Array, nowMs: number): Uint8Array[] {
    this.framer.push(chunk);
    for (let r = this.framer.next(), i = 0; r.kind !== 'need-data' && i < 1000; r = this.framer.next(), i++) {
      if (r.kind !== 'frame' || r.frame.kind !== 'I' || r.frame.info.length < LLC_HEADER_LENGTH + 2) continue;
      const apdu = r.frame.info.subarray(LLC_HEADER_LENGTH);
      // GET.request-normal: C0 01 invoke, class (2), OBIS (6), attribute; GET.request-next: C0 02.
      if (apdu[0] === 0xc0 && apdu[1] === 0x01) this.inBuffer = apdu[3] === 0 && apdu[4] === 7 && apdu[11] === 2;
      else if (!(apdu[0] === 0xc0 && apdu[1] === 0x02)) this.inBuffer = false;
    }
    const out = this.meter.receive(chunk, nowMs);
    if (this.inBuffer) {
      for (const f of out) {
        const frame = decodeFrame(f);
        if (frame.kind !== 'I') continue;
        this.frames++;
        this.bufferBytes += frame.info.length;
      }
    }
    return out;
  }

  tick(nowMs: number): void {
    this.meter.tick?.(nowMs);
  }
}

/**
 * The newest 170 rows (Entries 170) of the 4-channel load profile 1-0:99.1.0.255 from the strict
 * meter, read the app's way (readValues with a DeviceCache), over the emulated 9600-baud line (960
 * bytes/s each way, 20 ms turnaround): seconds of the virtual clock from SNRM to the UA of DISC, and
 * the request/answer exchanges (every frame the client sends: SNRM, requests, RR for the next
 * segment, RLRQ, DISC). The client proposes 2030 bytes and window 7; the meter grants 128 and 1.
 */
async function strictProfileRead9600(): Promise<Figure[]> {
  const meter = createVirtualMeter({ strict: true });
  const counter = new BufferFrameCounter(meter.connection('hdlc'));
  const line = new LineEmulator(counter, { bytesPerSecond: 960, turnaroundMs: 20 });
  const client = new DlmsClient(
    new HdlcLink({
      role: 'client',
      clientAddress: 16,
      serverAddress: oneByteAddress(1),
      proposed: { maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 },
    }),
    line,
    // As the app's and the CLI's sessions: a receive PDU that fills whole 128-byte frames.
    { responseTimeoutMs: 30_000, alignPduToFrames: true },
  );
  const start = line.now();
  await client.open();
  const cache = new DeviceCache();
  const [reading] = await readValues(client, cache, [{ name: 'load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 170 }]);
  await client.release();
  await client.close();
  const seconds = (line.now() - start) / 1000;
  if (reading === undefined || reading.error !== null || reading.kind !== 'profile' || reading.rows.length !== 170 || reading.columns.length !== 6) {
    // Clock, status and the 4 energy channels, 170 rows: anything else is not the figure's read.
    throw new Error(`the profile did not come whole: ${reading?.error?.message ?? `${reading?.kind === 'profile' ? reading.rows.length : 0} rows`}`);
  }
  const exchanges = line.stats.exchanges;
  const bound = counter.frames + 6;
  return [
    { name: 'strict_profile_read_s_9600', unit: 's', value: Math.round(seconds * 100) / 100 },
    { name: 'strict_profile_round_trips', unit: 'round trips', target: `<= ${bound} (buffer frames + 6)`, value: exchanges },
    { name: 'strict_profile_buffer_frames', unit: 'frames', value: counter.frames },
  ];
}

/** A 20-value group: 18 registers (energy, power, voltage, current, frequency, power factor), the
 * maximum demand (extended register) and the demand register of the virtual meter, each once. */
const GROUP_20 = [
  ...EIGHTEEN_REGISTERS.map((obis) => ({ obis, classId: 3 })),
  { obis: '1-0:1.6.0.255', classId: 4 },
  { obis: '1-0:1.4.0.255', classId: 5 },
].map((v, i) => ({ name: `value ${i + 1}`, ...v }));

/**
 * Request/response round trips to read a 20-value group of registers (value and scaler/unit): the first
 * read, and a second one once scalers and units are cached. The meter takes lists of 20, as many do.
 */
async function groupRoundTrips20(): Promise<Figure[]> {
  const meter = createVirtualMeter({ maxListItems: 20 });
  const transport = new InMemoryTransport(meter.connection('wrapper'), { startMs: Date.UTC(2026, 10, 22) });
  const client = new DlmsClient(new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 }), transport, { maxListItems: 20 });
  await client.open();
  const cache = new DeviceCache();
  const count = async (): Promise<number> => {
    const before = transport.wire.filter((w) => w.direction === 'to-meter').length;
    const readings = await readValues(client, cache, GROUP_20);
    if (readings.some((r) => r.error !== null)) throw new Error('a value of the group failed');
    return transport.wire.filter((w) => w.direction === 'to-meter').length - before;
  };
  const first = await count();
  const second = await count();
  await client.release();
  return [
    { name: 'group_round_trips_20', unit: 'round trips', target: '<= 3', value: first },
    { name: 'group_round_trips_20_second', unit: 'round trips', target: '<= 2', value: second },
  ];
}

/**
 * The spec's maximum: 30 physical devices (each its own TCP connection), 10 groups of 20 values, every
 * second, against virtual meters in another process, with the DLMS sessions in the engine worker.
 * The figure is the main thread's event-loop utilisation over 10 s after a 3 s warm-up: the share of
 * one core the main process's thread spends (the worker's own CPU is not main's).
 */
async function pollCpuMainMax(): Promise<Figure> {
  const { Engine } = await import('../../electron/services/engine/host.js');
  const { Poller } = await import('../../electron/services/poller.js');
  const { parseConfig } = await import('../../core/app/validate.js');
  const meters = await startMeters();
  try {
    const config = parseConfig(maximumConfiguration(meters.port));
    const engine = new Engine();
    let jobs = 0;
    let failed = 0;
    const poller = new Poller(config, { context: { engine }, onJob: (_j, _r, error) => (jobs++, error !== null && failed++) }, Date.now());
    const until = (ms: number) => Date.now() + ms;
    const pollFor = async (end: number) => {
      while (Date.now() < end) {
        void poller.runDue(() => Date.now());
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await pollFor(until(3000));
    const start = performance.eventLoopUtilization();
    const jobsBefore = jobs;
    await pollFor(until(10_000));
    const elu = performance.eventLoopUtilization(start).utilization;
    if (jobs - jobsBefore < 200 || failed > jobs / 10) throw new Error(`polling did not keep up: ${jobs - jobsBefore} jobs in 10 s, ${failed} failed`);
    await new Promise((r) => setTimeout(r, 500));
    await poller.close();
    await engine.terminate();
    return { name: 'poll_cpu_main_max', unit: 'core share', target: '< 0.20', value: Math.round(elu * 1000) / 1000 };
  } finally {
    meters.stop();
  }
}

/** Inputs per second the fuzzer drives through all its targets (1 s each, fixed seed). */
function fuzzRate(): Figure {
  const rate = fuzzInputsPerSecond(8000);
  return { name: 'fuzz_inputs_per_s', unit: 'inputs/s', value: rate };
}

/**
 * Resident memory growth of a short soak (150 s at the spec's maximum configuration, measured after
 * 75 s of warm-up, when the frame traces are full); `npm run soak` runs the full ten minutes.
 */
async function soakRssGrowth(): Promise<Figure> {
  const r = await runSoak({ durationMs: 150_000, warmupMs: 75_000 });
  if (r.failedJobs > 0 || r.unaccounted > 0)
    throw new Error(`the soak did not poll cleanly: ${r.failedJobs} failed reads, ${r.unaccounted} intervals unaccounted for`);
  return { name: 'soak_rss_growth', unit: 'fraction', target: '< 0.05', value: r.rssGrowth };
}

/**
 * A year of profile read, charted, zoomed, paged and traced in Chromium while a 1 s group polls: the
 * longest long task (ms), the median of 3 runs (one run's worst moment depends on what else the 2
 * cores are doing). Each run's steps go to stderr for diagnosis.
 */
async function uiLongTaskMax(): Promise<Figure> {
  const { uiLongTaskMaxMs } = await import('./ui-scenario.js');
  const maxima: number[] = [];
  for (let run = 1; run <= 3; run++) {
    const r = await uiLongTaskMaxMs();
    console.error(`ui_long_task_max_ms run ${run}: ${r.max} ms; by step ${JSON.stringify(r.steps)}`);
    maxima.push(r.max);
  }
  return { name: 'ui_long_task_max_ms', unit: 'ms', target: '< 100', value: median(maxima) };
}

/**
 * Read range of the year (35,040 rows) through the backend's API while the group polls every second,
 * then that group's polls alone: the median time between two of them.
 */
async function yearReadPolling(): Promise<Figure[]> {
  const { yearReadPolling: run } = await import('./year-read.js');
  const r = await run((line) => console.error(`year_read_polling_s: ${line}`));
  return [
    { name: 'year_read_polling_s', unit: 's', target: '< 40', value: r.seconds },
    { name: 'profile_poll_interval_s', unit: 's', target: '< 1.5 (interval 1 s)', value: r.pollIntervalSeconds },
  ];
}

/** Each runner with the names of the figures it gives, so `--only` can skip the rest. */
const RUNNERS: { readonly names: readonly string[]; readonly run: () => Figure | Figure[] | Promise<Figure | Figure[]> }[] = [
  { names: ['profile_decode_ms_10k'], run: profileDecode10k },
  { names: ['wire_efficiency_9600'], run: wireEfficiency9600 },
  { names: ['group_round_trips_20', 'group_round_trips_20_second'], run: groupRoundTrips20 },
  { names: ['strict_profile_read_s_9600', 'strict_profile_round_trips', 'strict_profile_buffer_frames'], run: strictProfileRead9600 },
  { names: ['poll_cpu_main_max'], run: pollCpuMainMax },
  { names: ['fuzz_inputs_per_s'], run: fuzzRate },
  { names: ['soak_rss_growth'], run: soakRssGrowth },
  { names: ['ui_long_task_max_ms'], run: uiLongTaskMax },
  { names: ['year_read_polling_s', 'profile_poll_interval_s'], run: yearReadPolling },
  { names: ['cli_start_ms'], run: () => ({ name: 'cli_start_ms', unit: 'ms', target: '< 250', value: cliStartMs() }) },
];

const OPTIONS: OptionSpec[] = [
  { name: '--json', help: 'end with one JSON line of the figures' },
  { name: '--only', value: 'PREFIXES', help: 'run only the figures whose names start with one of these (comma-separated)' },
  { name: '--help', short: 'h', help: 'this text' },
];
let args: ParsedArgs;
try {
  args = parseArgs(process.argv.slice(2), OPTIONS, false);
} catch (e) {
  console.error(`npm run bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
if (flag(args, '--help')) {
  console.log(usageOf('npm run bench --', '[--json] [--only PREFIXES]', 'Runs the benchmarks and prints each figure with its target.', OPTIONS));
  process.exit(0);
}
const onlyText = optionValue(args, '--only');
const only = onlyText === undefined ? null : onlyText.split(',').filter((p) => p !== '');
const known = RUNNERS.flatMap((r) => r.names);
for (const prefix of only ?? []) {
  if (!known.some((n) => n.startsWith(prefix))) {
    console.error(`npm run bench: --only: ${JSON.stringify(prefix)} is not valid: no figure starts with it; the figures are ${known.join(', ')}`);
    process.exit(2);
  }
}
const figures: Figure[] = [];
for (const runner of RUNNERS) {
  if (only !== null && !runner.names.some((n) => only.some((prefix) => n.startsWith(prefix)))) continue;
  figures.push(...[await runner.run()].flat());
}

const json = flag(args, '--json');
for (const f of figures) {
  const target = f.target ? `   (target ${f.target} ${f.unit})` : '';
  console.log(`${f.name.padEnd(28)} ${String(f.value).padStart(10)} ${f.unit}${target}`);
}
if (json) console.log(JSON.stringify(Object.fromEntries(figures.map((f) => [f.name, f.value]))));

/**
 * The fuzz runner's hang watchdog. A synchronous decoder stuck in a loop cannot be interrupted from
 * its own thread, so a worker watches a heartbeat in shared memory: the main thread writes each
 * input there before running it, and when the heartbeat stops for `hangMs` the worker prints the
 * input, saves it as test/fixtures/fuzz/<target>/<sha1>.hex and kills the process (a non-zero status).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface Watchdog {
  watch(target: string, input: Uint8Array): void;
  stop(): void;
}

const HANG_MS = 10_000;
const MAX_WATCHED_INPUT = 8192;

/**
 * The main thread writes each input (and a heartbeat) to shared memory before running it; if the
 * heartbeat stops for HANG_MS the worker prints and saves the input and ends the process.
 */
export async function startWatchdog(hangMs = HANG_MS, dir = new URL('../fixtures/fuzz', import.meta.url).pathname): Promise<Watchdog> {
  const shared = new SharedArrayBuffer(16 + 64 + MAX_WATCHED_INPUT);
  const meta = new Int32Array(shared, 0, 4); // [beat, length, nameLength, unused]
  const name = new Uint8Array(shared, 16, 64);
  const bytes = new Uint8Array(shared, 80, MAX_WATCHED_INPUT);
  const worker = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    const { createHash } = require('node:crypto');
    const { mkdirSync, writeFileSync, writeSync } = require('node:fs');
    const { join } = require('node:path');
    const { shared, hangMs, dir } = workerData;
    const meta = new Int32Array(shared, 0, 4);
    const name = new Uint8Array(shared, 16, 64);
    const bytes = new Uint8Array(shared, 80);
    let last = -1, since = Date.now();
    setInterval(() => {
      const beat = Atomics.load(meta, 0);
      if (beat !== last) { last = beat; since = Date.now(); return; }
      if (Date.now() - since < hangMs) return;
      const input = bytes.slice(0, Atomics.load(meta, 1));
      const target = Buffer.from(name.slice(0, Atomics.load(meta, 2))).toString();
      const hex = Buffer.from(input).toString('hex');
      const sha1 = createHash('sha1').update(input).digest('hex');
      mkdirSync(join(dir, target), { recursive: true });
      writeFileSync(join(dir, target, sha1 + '.hex'), hex + '\\n');
      // The main thread is stuck, so neither its console nor its exit can be used: write to the
      // descriptor and end the whole process with a signal no JS handler (tsx has some) can delay.
      writeSync(2, 'HANG ' + target + ': one input ran for over ' + hangMs + ' ms; saved ' + target + '/' + sha1 + '.hex\\ninput ' + hex + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }, 500);
    `,
    // No loader hooks (tsx) in the worker: it must run on its own while the main thread is stuck.
    { eval: true, execArgv: [], workerData: { shared, hangMs, dir } },
  );
  // Until it is online its timer cannot run; a hang in the first input would go unseen.
  await once(worker, 'online');
  worker.unref();
  let beat = 0;
  let currentName = '';
  return {
    watch(target, input) {
      if (target !== currentName) {
        const encoded = new TextEncoder().encode(target).subarray(0, 64);
        name.set(encoded);
        Atomics.store(meta, 2, encoded.length);
        currentName = target;
      }
      const n = Math.min(input.length, MAX_WATCHED_INPUT);
      bytes.set(n === input.length ? input : input.subarray(0, n));
      Atomics.store(meta, 1, n);
      Atomics.store(meta, 0, ++beat);
    },
    stop() {
      void worker.terminate();
    },
  };
}

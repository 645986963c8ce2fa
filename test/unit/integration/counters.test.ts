import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvocationCounterStore, keyFingerprint } from '../../../electron/services/invocation-counters.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-counters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = { blockCipherKey: new Uint8Array(16).fill(1), authenticationKey: new Uint8Array(16).fill(2) };

/** Runs the child until it has reported `count` counters, then kills it without warning. */
function runAndKill(file: string, start: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'counter-child.ts'), file, String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const used: number[] = [];
    let buffered = '';
    let stderr = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child reported ${used.length} counters in 15 s: ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) used.push(Number(line.replace('used ', '')));
      if (used.length >= count && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', () => {
      clearTimeout(guard);
      resolve(used);
    });
  });
}

describe('invocation counters survive a crash', () => {
  it('after the process is killed, the next counter is above every counter it used', async () => {
    const file = join(dir, 'counters.json');
    const first = await runAndKill(file, 100, 30);
    expect(first.length).toBeGreaterThanOrEqual(30);
    expect(first[0]).toBe(100);
    const restarted = new InvocationCounterStore(file);
    const next = restarted.nextCounter('meter-1', keys, 0);
    expect(next).toBeGreaterThan(Math.max(...first));

    // And again: the second run starts there and its counters are all new.
    const second = await runAndKill(file, 0, 10);
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
  });

  it('keeps the counter per device and per key, and never writes a key', () => {
    const file = join(dir, 'per-key.json');
    const store = new InvocationCounterStore(file, 1);
    store.persister('meter-1', keys)(41);
    const otherKeys = { blockCipherKey: new Uint8Array(16).fill(9), authenticationKey: new Uint8Array(16).fill(2) };
    expect(store.nextCounter('meter-1', keys, 0)).toBe(42);
    expect(store.nextCounter('meter-1', otherKeys, 0)).toBe(0);
    expect(store.nextCounter('meter-2', keys, 0)).toBe(0);
    expect(store.nextCounter('meter-1', keys, 500)).toBe(500);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(keyFingerprint(keys));
    expect(text).not.toContain('01010101');
    expect(text).not.toContain('02020202');
  });

  it('refuses a damaged counter file instead of starting again from zero', () => {
    const file = join(dir, 'damaged.json');
    const store = new InvocationCounterStore(file, 1);
    store.persister('meter-1', keys)(7);
    writeFileSync(file, '{"version":1,"counters":{"meter-1|x":-5}}');
    expect(() => new InvocationCounterStore(file)).toThrow(/32-bit/);
  });
});

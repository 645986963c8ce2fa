/**
 * The invocation counters this installation has used, per physical device and key, kept on disk so
 * that no counter is ever used twice with the same key, not even after a crash or a power cut.
 *
 * Writes are atomic (see atomic-file.ts). Counters are reserved ahead in blocks: the
 * session asks before each use, the store writes only when a block runs out, and after a crash the
 * next session starts above the whole reserved block (skipping at most a block, reusing nothing).
 * The file holds a fingerprint of the keys, never the keys.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CipheringKeys } from '../../core/security/keys.js';
import { firstInvocationCounter } from '../../core/session/invocation-counter.js';
import { writeFileAtomic } from './atomic-file.js';

interface CounterFile {
  readonly version: 1;
  /** "device|fingerprint" -> the highest counter that may have been used. */
  readonly counters: Record<string, number>;
}

export const DEFAULT_RESERVE = 16;

/** A short one-way fingerprint of the keys, so counters follow a key change without storing keys. */
export function keyFingerprint(keys: CipheringKeys): string {
  return createHash('sha256').update(keys.blockCipherKey).update(keys.authenticationKey).digest('hex').slice(0, 16);
}

export class InvocationCounterStore {
  private readonly counters: Map<string, number>;

  constructor(
    private readonly file: string,
    private readonly reserve = DEFAULT_RESERVE,
  ) {
    this.counters = new Map(Object.entries(readCounterFile(file).counters));
  }

  /** The highest counter that may have been used with these keys on this device, or null when none. */
  highestUsed(deviceId: string, keys: CipheringKeys): number | null {
    return this.counters.get(`${deviceId}|${keyFingerprint(keys)}`) ?? null;
  }

  /** The counter to start a session with: above everything used here and at least what the meter expects. */
  nextCounter(deviceId: string, keys: CipheringKeys, meterExpects: number | null): number {
    return firstInvocationCounter(meterExpects, this.highestUsed(deviceId, keys));
  }

  /**
   * A callback for the session's `persistInvocationCounter`: called with each counter before it is used;
   * returns only once the counter is on disk (or inside a block already on disk).
   */
  persister(deviceId: string, keys: CipheringKeys): (used: number) => void {
    const key = `${deviceId}|${keyFingerprint(keys)}`;
    return (used: number) => {
      const reserved = this.counters.get(key);
      if (reserved !== undefined && used <= reserved) return;
      this.counters.set(key, Math.min(0xffffffff, used + this.reserve - 1));
      this.save();
    };
  }

  private save(): void {
    const content: CounterFile = { version: 1, counters: Object.fromEntries(this.counters) };
    writeFileAtomic(this.file, JSON.stringify(content));
  }
}

function readCounterFile(file: string): CounterFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, counters: {} };
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<CounterFile>;
  if (parsed.version !== 1 || typeof parsed.counters !== 'object' || parsed.counters === null) {
    throw new Error(`${file} is not an invocation counter file of this version`);
  }
  for (const [k, v] of Object.entries(parsed.counters)) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${file}: the counter of ${k} is not a 32-bit number`);
  }
  return parsed as CounterFile;
}

/**
 * One value of a group, read in rounds. Each round the driver (read-values.ts) asks every reader
 * what it still needs, sends all of it as one GET-with-list, and hands each reader its answers. A
 * register needs one round; a profile two (what to select, then the rows). Readers never talk to
 * the meter themselves, so a whole group costs as few exchanges as the meter's list size allows.
 */
import type { AccessSelection } from '../../apdu/types.js';
import type { DlmsValue } from '../../axdr/types.js';
import { type DlmsError, serializeError, type SerializedError } from '../../errors.js';
import { formatObis, obisToBytes, type Obis } from '../../obis.js';
import type { AttributeRef, ItemResult } from '../../session/types.js';
import type { DeviceCache } from './device-cache.js';
import type { Reading, ReadingCommon, ReadRequest } from './types.js';

export interface Need {
  readonly ref: AttributeRef;
  /** Needs with the same key get the same answer, so the round asks once. Null: never shared. */
  readonly key: string | null;
}

/** When the round's request left and its answer came (transport clock, ms). */
export interface RoundTiming {
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface ValueReader {
  /** What to read in the next round; empty once the reader has all it needs. */
  next(): readonly Need[];
  /** The answers to what next() asked, in the same order. */
  take(results: readonly ItemResult[], timing: RoundTiming): void;
  /** The conversation broke (or the reader did): no more rounds; `at` is the transport time. */
  abort(error: unknown, at: number): void;
  /** The result, once next() is empty or after abort; `at` stands for readAt when nothing was read. */
  reading(at: number): Reading;
}

/** The request as checked: a parsed OBIS code and the fields every reading starts from. */
export interface ValueTarget {
  readonly request: ReadRequest;
  readonly logicalName: Obis;
  readonly cache: DeviceCache;
}

function isSerialized(e: unknown): e is SerializedError {
  if (e instanceof Error || typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o['name'] === 'string' && typeof o['code'] === 'string' && typeof o['message'] === 'string';
}

export function attributeNeed(classId: number, logicalName: Obis, attributeId: number, access?: AccessSelection): Need {
  const ref: AttributeRef = {
    classId,
    logicalName: obisToBytes(logicalName),
    attributeId,
    ...(access === undefined ? {} : { access }),
  };
  return { ref, key: access === undefined ? `${classId}|${formatObis(logicalName)}|${attributeId}` : null };
}

/** The fields of a reading with nothing in them yet. */
export type ReadingBase = Omit<ReadingCommon, 'value' | 'status'> & { readonly value: null; readonly status: null };

/** What a reading is of, when it was taken and why it has no value (null: nothing went wrong yet); the value fields null. */
export function emptyReading(of: Pick<ReadingCommon, 'name' | 'obis' | 'classId' | 'attribute' | 'readAt' | 'error'>): ReadingBase {
  return {
    name: of.name,
    obis: of.obis,
    classId: of.classId,
    attribute: of.attribute,
    readAt: of.readAt,
    captureTime: null,
    raw: null,
    value: null,
    unit: null,
    scaler: null,
    status: null,
    error: of.error,
  };
}

/**
 * The bookkeeping every class shares: attributes asked per round, their answers by attribute id,
 * the time of the last answer and the first error. Subclasses say what to ask and build the reading.
 */
export abstract class AttributeReader implements ValueReader {
  protected readonly answers = new Map<number, ItemResult>();
  /** Rounds answered so far. */
  protected rounds = 0;
  /** The transport time of the last answer; null until one came. */
  protected readAt: number | null = null;
  protected error: SerializedError | null = null;
  protected aborted = false;
  private asked: number[] = [];
  private extra: Need[] = [];

  constructor(protected readonly target: ValueTarget) {}

  protected get classId(): number {
    return this.target.request.classId;
  }

  protected get logicalName(): Obis {
    return this.target.logicalName;
  }

  protected get cache(): DeviceCache {
    return this.target.cache;
  }

  /** Attribute ids of this object to read next round; empty when done. */
  protected abstract plan(): readonly number[];

  /** Needs beyond this object's plain attributes (a profile's buffer with selective access, column scalers). */
  protected planExtra(): readonly Need[] {
    return [];
  }

  /** Extra answers, in the order planExtra gave them. */
  protected takeExtra(_results: readonly ItemResult[]): void {}

  /** Called after each round's answers are in: learn what the cache should keep. */
  protected learn(): void {}

  /** Build the reading from the answers; errors found on the way go through fail(). */
  protected abstract build(): Reading;

  reading(at: number): Reading {
    this.readAt ??= at;
    const built = this.build();
    // build() may have found the first error only now.
    return built.error === this.error ? built : { ...built, error: this.error };
  }

  next(): readonly Need[] {
    if (this.aborted) return [];
    this.asked = [...this.plan()];
    this.extra = [...this.planExtra()];
    const needs = this.asked.map((a) => attributeNeed(this.classId, this.logicalName, a));
    return needs.concat(this.extra);
  }

  take(results: readonly ItemResult[], timing: RoundTiming): void {
    this.readAt = timing.answeredAt;
    this.rounds++;
    this.asked.forEach((a, i) => {
      const r = results[i];
      if (r !== undefined) this.answers.set(a, r);
    });
    if (this.extra.length > 0) this.takeExtra(results.slice(this.asked.length));
    this.asked = [];
    this.extra = [];
    try {
      this.learn();
    } catch (e) {
      this.fail(e);
    }
    this.onRound(timing);
  }

  /** Timing of the round just taken (the clock uses it for drift). */
  protected onRound(_timing: RoundTiming): void {}

  abort(error: unknown, at: number): void {
    this.aborted = true;
    if (this.readAt === null || at > this.readAt) this.readAt = at;
    this.fail(error);
  }

  /** Keep the first error: it is the cause, the rest follow from it. */
  protected fail(error: unknown): void {
    this.error ??= isSerialized(error) ? error : serializeError(error);
  }

  /** The value of an attribute, or null; a refusal becomes the reading's error. */
  protected valueOf(attribute: number, required = true): DlmsValue | null {
    const r = this.answers.get(attribute);
    if (r === undefined) return null;
    if (r.ok) return r.value;
    if (required) this.fail(r.error);
    return null;
  }

  protected errorOf(attribute: number): DlmsError | null {
    const r = this.answers.get(attribute);
    return r !== undefined && !r.ok ? r.error : null;
  }

  protected base(attribute: number | null): ReadingBase {
    return emptyReading({
      name: this.target.request.name,
      obis: formatObis(this.logicalName),
      classId: this.classId,
      attribute,
      readAt: this.readAt ?? 0,
      error: this.error,
    });
  }
}

/**
 * Which reader a request gets, after its fields are checked. A request that does not fit (an OBIS
 * code with a typo, Entries of 0) gets a reading carrying the InputError, and the rest of the group
 * is read as usual.
 */
import { blueBookClassName, MANUFACTURER_CLASS_MIN, USER_GROUP_CLASS_MAX } from '../../cosem/class-names.js';
import { InputError, serializeError, type SerializedError } from '../../errors.js';
import { formatObis, parseObis, type Obis } from '../../obis.js';
import type { DeviceCache } from './device-cache.js';
import { ClockReader } from './clock-reader.js';
import { ObjectReader } from './object-reader.js';
import { ProfileReader } from './profile-reader.js';
import { AttributeValueReader, DemandRegisterReader, RegisterReader } from './register-readers.js';
import type { Reading, ReadingKind, ReadRequest } from './types.js';
import { emptyReading, type Need, type ValueReader } from './value-reader.js';

/** The spec's limit on a profile value's Entries. */
export const MAX_ENTRIES = 32767;

/** The attribute each class is read for when none is named. */
const MAIN_ATTRIBUTE: Readonly<Record<number, number>> = { 1: 2, 3: 2, 4: 2, 5: 2, 7: 2, 8: 2 };

const CLASS_KIND: Readonly<Record<number, ReadingKind>> = {
  1: 'value',
  3: 'register',
  4: 'extended-register',
  5: 'demand-register',
  7: 'profile',
  8: 'clock',
};

/** The kind of reading a request gets: its class's, or 'value' when one other attribute is named. */
export function readingKind(classId: number, attribute: number | undefined): ReadingKind {
  if (attribute !== undefined && attribute !== MAIN_ATTRIBUTE[classId]) return 'value';
  return CLASS_KIND[classId] ?? 'object';
}

/** Check a request's fields; the parsed OBIS code, or an InputError naming the field. */
export function checkRequest(request: ReadRequest): Obis {
  if (request === null || typeof request !== 'object') throw new InputError('COSEM value', request, 'an object with name, obis and classId is expected');
  if (typeof request.name !== 'string') throw new InputError('Name', request.name, 'text is expected');
  const logicalName = parseObis(request.obis, 'OBIS code');
  // Any class of the Blue Book, or a manufacturer's: one without an attribute table is read raw.
  const classId = request.classId;
  if (!Number.isInteger(classId) || (blueBookClassName(classId) === undefined && (classId < MANUFACTURER_CLASS_MIN || classId > USER_GROUP_CLASS_MAX))) {
    throw new InputError(
      'COSEM class id',
      classId,
      `an interface class of the Blue Book (1 Data, 3 Register, 7 Profile generic, 8 Clock, ...) or ${MANUFACTURER_CLASS_MIN} to ` +
        `${USER_GROUP_CLASS_MAX} for a manufacturer's or user group's class`,
    );
  }
  const { attribute, entries, from, to } = request;
  if (attribute !== undefined && (!Number.isInteger(attribute) || attribute < -128 || attribute > 127 || attribute === 0)) {
    throw new InputError('attribute', attribute, 'a whole number from 1 to 127, or -128 to -1 for a manufacturer-specific attribute');
  }
  if (request.classId === 7 && (attribute === undefined || attribute === 2)) {
    if (entries !== undefined && (!Number.isInteger(entries) || entries < 1 || entries > MAX_ENTRIES)) {
      throw new InputError('Entries', entries, `a whole number from 1 to ${MAX_ENTRIES}`);
    }
    for (const [field, t] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > 8.64e15)) {
        throw new InputError(field, t, 'milliseconds since 1970-01-01T00:00:00Z are expected');
      }
    }
    if (from !== undefined && to !== undefined && from > to) {
      throw new InputError('from', from, `the start of the range must not be after its end (${to})`);
    }
    if (request.since !== undefined) checkMark(request);
  }
  return logicalName;
}

/** A poll's mark: only with Entries and without a range, every time a finite number of milliseconds. */
function checkMark(request: ReadRequest): void {
  const m = request.since!;
  if (m === null || typeof m !== 'object') throw new InputError('since', m, 'the mark of the previous read is expected');
  if (request.entries === undefined || request.from !== undefined || request.to !== undefined) {
    throw new InputError('since', 'given', 'a mark goes with Entries and without from / to');
  }
  const time = (field: string, t: unknown, nullable: boolean): void => {
    if (t === null && nullable) return;
    if (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > 8.64e15)
      throw new InputError(field, t, 'milliseconds since 1970-01-01T00:00:00Z are expected');
  };
  time('since.newest', m.newest, true);
  time('since.newestSeenAt', m.newestSeenAt, false);
  time('since.entriesSeenAt', m.entriesSeenAt, true);
  if (m.deviation !== null && (!Number.isInteger(m.deviation) || Math.abs(m.deviation) > 840)) {
    throw new InputError('since.deviation', m.deviation, 'whole minutes from -840 to 840, or null');
  }
  if (m.entriesInUse !== null && (!Number.isInteger(m.entriesInUse) || m.entriesInUse < 0)) {
    throw new InputError('since.entriesInUse', m.entriesInUse, 'a whole number, 0 or more, or null');
  }
}

/** The reader for one request; `startedAt` (transport clock) closes an open-ended range. */
export function readerFor(request: ReadRequest, cache: DeviceCache, startedAt: number): ValueReader {
  let logicalName: Obis;
  try {
    logicalName = checkRequest(request);
  } catch (e) {
    return new RefusedRequest(request, serializeError(e));
  }
  const target = { request, logicalName, cache };
  const attribute = request.attribute;
  const kind = readingKind(request.classId, attribute);
  switch (kind) {
    case 'value':
      return new AttributeValueReader(target, attribute ?? 2);
    case 'register':
    case 'extended-register':
      return new RegisterReader(target);
    case 'demand-register':
      return new DemandRegisterReader(target);
    case 'clock':
      return new ClockReader(target);
    case 'profile':
      return new ProfileReader(target, startedAt);
    case 'object':
      return new ObjectReader(target);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** A request that never reaches the meter: its reading is the reason. */
class RefusedRequest implements ValueReader {
  constructor(
    private readonly request: ReadRequest,
    private readonly error: SerializedError,
  ) {}

  next(): readonly Need[] {
    return [];
  }

  take(): void {}

  abort(): void {}

  reading(at: number): Reading {
    const r = this.request;
    const classId = typeof r?.classId === 'number' ? r.classId : 0;
    let obis = typeof r?.obis === 'string' ? r.obis : String(r?.obis);
    try {
      obis = formatObis(parseObis(obis));
    } catch {
      // Shown as given: it is what the engineer has to correct.
    }
    const common = emptyReading({
      name: typeof r?.name === 'string' ? r.name : '',
      obis,
      classId,
      attribute: typeof r?.attribute === 'number' ? r.attribute : null,
      readAt: at,
      error: this.error,
    });
    const kind = readingKind(classId, typeof r?.attribute === 'number' ? r.attribute : undefined);
    switch (kind) {
      case 'value':
      case 'register':
      case 'extended-register':
        return { ...common, kind };
      case 'demand-register':
        return { ...common, kind, currentAverage: null, lastAverage: null, periodSeconds: null };
      case 'clock':
        return { ...common, kind, driftSeconds: null, timeZone: null, clockStatus: [] };
      case 'profile':
        return { ...common, kind, columns: [], rows: [], entriesInUse: null, capturePeriodSeconds: null };
      case 'object':
        return { ...common, kind, attributes: [] };
      default: {
        const never: never = kind;
        return never;
      }
    }
  }
}

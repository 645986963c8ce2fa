/**
 * The meter page's backend: the association's object list with its access rights, kept per device
 * until Refresh or a change of the device's (or its connection's) settings, and reads of one
 * attribute or all of an object, each decoded by its class. Reads go through readDevice like every
 * other read, so they share the link, the meter's limits, recovery and the trace.
 *
 * A profile's buffer read here is stored in the readings database like a Read range on Readings
 * (once per capture time), so the page can chart it and export it as CSV.
 *
 * An association's secret (class 15, attribute 7) is never asked for and never returned.
 */
import type { MeterAttributeView, MeterBufferView, MeterObjectView, MeterObjectsView, MeterReadView } from '../../../core/app/api/types.js';
import type { DeviceLinkSettings } from '../../../core/app/link-settings.js';
import { DeviceCache, type LabelledAttribute, type Reading, type ReadRequest } from '../../../core/app/reading/index.js';
import type { AppConfig, PhysicalDevice } from '../../../core/app/schema.js';
import { formatValue } from '../../../core/axdr/format.js';
import { dlmsValueToJson, type DlmsJson } from '../../../core/axdr/json.js';
import { objectListRights, objectRights } from '../../../core/cosem/access-rights.js';
import { attributeMeaning } from '../../../core/cosem/attribute-text.js';
import { className } from '../../../core/cosem/class-names.js';
import { attributeLabel, findCosemClass } from '../../../core/cosem/classes.js';
import { InputError } from '../../../core/errors.js';
import { formatObis, obisToBytes, parseObis } from '../../../core/obis.js';
import { readDevice } from '../device-read.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import { withDeviceSession } from '../device-session.js';
import { jobStartNote } from '../../../core/app/trace-notes.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import { apiErrorOf, jsonValue, profileColumnView } from './views.js';

const ASSOCIATION_LN = '0-0:40.0.0.255';

/** Attributes the meter page never reads: class id -> attribute ids. */
const NEVER_READ: ReadonlyMap<number, ReadonlySet<number>> = new Map([[15, new Set([7])]]);

export function isSecretAttribute(classId: number, attribute: number): boolean {
  return NEVER_READ.get(classId)?.has(attribute) === true;
}

export interface MeterReadArgs {
  readonly deviceId: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute?: number | undefined;
  readonly entries?: number | undefined;
  readonly range?: { readonly from: number; readonly to: number } | undefined;
}

interface Kept<T> {
  /** The device's link settings when it was made: other settings make it stale. */
  readonly key: string;
  readonly value: T;
}

export class MeterPage {
  private readonly lists = new Map<string, Kept<MeterObjectsView>>();
  private readonly caches = new Map<string, Kept<DeviceCache>>();

  constructor(
    private readonly services: SessionServices,
    private readonly db: () => ReadingsDatabase,
  ) {}

  /** Forget what belongs to devices no longer saved. */
  prune(config: AppConfig): void {
    const ids = new Set(config.devices.map((d) => d.id));
    for (const map of [this.lists, this.caches]) for (const id of map.keys()) if (!ids.has(id)) map.delete(id);
  }

  private target(deviceId: string): { device: PhysicalDevice; settings: DeviceLinkSettings; key: string } {
    const config = this.services.config();
    const device = config.devices.find((d) => d.id === deviceId);
    if (device === undefined) throw new InputError('Physical device', deviceId, 'no saved physical device has this ID; save it first');
    const settings = settingsOf(config, device);
    return { device, settings, key: JSON.stringify(settings) };
  }

  /** The kept list while the device's settings are the same, else null. */
  private kept(deviceId: string, key: string): MeterObjectsView | null {
    const hit = this.lists.get(deviceId);
    return hit !== undefined && hit.key === key ? hit.value : null;
  }

  private cacheOf(deviceId: string, key: string): DeviceCache {
    const hit = this.caches.get(deviceId);
    if (hit !== undefined && hit.key === key) return hit.value;
    const cache = new DeviceCache();
    this.caches.set(deviceId, { key, value: cache });
    return cache;
  }

  async objects(deviceId: string, refresh: boolean): Promise<MeterObjectsView> {
    const { settings, key } = this.target(deviceId);
    const kept = refresh ? null : this.kept(deviceId, key);
    if (kept !== null) return kept;
    const { link, context } = sessionFor(this.services, settings);
    const objects = await withDeviceSession(settings, link, context, async (client): Promise<MeterObjectView[]> => {
      if (settings.referencing === 'sn') {
        return (await client.readObjectList()).map((o) => ({ ...objectRights(o.classId, o.version, o.logicalName, undefined, 0), baseName: o.baseName }));
      }
      const list = await client.get({ classId: 15, logicalName: obisToBytes(parseObis(ASSOCIATION_LN)), attributeId: 2 });
      return objectListRights(list);
    });
    const view: MeterObjectsView = { deviceId, readAt: Date.now(), referencing: settings.referencing, objects };
    this.lists.set(deviceId, { key, value: view });
    return view;
  }

  async read(args: MeterReadArgs): Promise<MeterReadView> {
    const { device, settings, key } = this.target(args.deviceId);
    const obis = formatObis(parseObis(args.obis));
    const { classId, attribute } = args;
    if (attribute !== undefined && isSecretAttribute(classId, attribute)) {
      throw new InputError('attribute', attribute, "an association's secret is never read or shown");
    }
    const listed = this.kept(args.deviceId, key)?.objects.find((o) => o.obis === obis && o.classId === classId);
    const known = findCosemClass(classId);
    const isBuffer = (id: number) => classId === 7 && id === 2;
    if (attribute !== undefined && isBuffer(attribute) && args.entries === undefined && args.range === undefined) {
      throw new InputError('Entries', undefined, 'a profile buffer is read by entries (the newest rows) or by a range');
    }

    // Which attributes to ask: the one named, or every readable one the class has (the buffer only when asked for).
    let ids: number[] | null;
    if (attribute !== undefined) ids = [attribute];
    else if (known === undefined) ids = null;
    else {
      const version = listed?.version ?? Number.POSITIVE_INFINITY;
      ids = known.attributes
        .filter((a) => a.id !== 1 && (a.sinceVersion === undefined || a.sinceVersion <= version) && !isSecretAttribute(classId, a.id))
        .filter((a) => !isBuffer(a.id) || args.entries !== undefined || args.range !== undefined)
        .map((a) => a.id);
    }
    const right = (id: number) => (listed?.rightsGiven === true ? listed.attributes.find((a) => a.id === id) : undefined);
    const refused = new Map<number, string>();
    if (ids !== null && attribute === undefined) {
      for (const id of ids) {
        const r = right(id);
        if (r !== undefined && !r.read) refused.set(id, `this association may not read it (${r.access})`);
      }
    }
    const requests: ReadRequest[] =
      ids === null
        ? [{ name: className(classId), obis, classId }]
        : ids
            .filter((id) => !refused.has(id))
            .map((id) => ({
              name: attributeLabel(classId, id),
              obis,
              classId,
              attribute: id,
              ...(isBuffer(id) && args.entries !== undefined ? { entries: args.entries } : {}),
              ...(isBuffer(id) && args.range !== undefined ? { from: args.range.from, to: args.range.to } : {}),
            }));
    const { link, context } = sessionFor(this.services, settings);
    const traceNote = jobStartNote('meter read', `${obis} (class ${classId})${attribute === undefined ? '' : ` attribute ${attribute}`}`, device.name);
    const readings = requests.length === 0 ? [] : await readDevice(settings, link, { ...context, traceNote }, this.cacheOf(args.deviceId, key), requests);

    const views = new Map<number, MeterAttributeView>();
    let buffer: MeterReadView['buffer'];
    for (const r of readings) {
      if (r.kind === 'object' && ids === null) {
        for (const a of r.attributes) views.set(a.id, labelledView(a));
        if (r.attributes.length === 0 && r.error !== null)
          views.set(2, { id: 2, name: attributeLabel(classId, 2), text: null, raw: null, error: apiErrorOf(r.error).message });
        continue;
      }
      const id = r.attribute ?? 2;
      if (r.kind === 'profile') {
        const profileName = listed?.name !== undefined && listed.name !== '' ? listed.name : obis;
        buffer = {
          columns: r.columns.map(profileColumnView),
          rows: r.rows.map((row) => ({ captureAt: row.epochMs, cells: row.values.map((v) => (v === null ? null : String(v))) })),
          profileId: r.error === null ? this.storeBuffer(args.deviceId, obis, profileName, r) : null,
          range: rangeOfRows(r.rows, args.range),
        };
      }
      views.set(id, readingAttributeView(r, id, listed?.version));
    }
    for (const [id, why] of refused) views.set(id, { id, name: attributeLabel(classId, id), text: null, raw: null, error: why });
    const attributes = [...views.values()].filter((a) => !isSecretAttribute(classId, a.id)).sort((a, b) => a.id - b.id);
    return {
      deviceId: args.deviceId,
      obis,
      classId,
      className: className(classId),
      readAt: Date.now(),
      attributes,
      ...(buffer === undefined ? {} : { buffer }),
    };
  }

  /** Store the rows read (those of a capture time already stored are left as they were); the
   * profile keeps the name it has (a group's value may have named it). */
  private storeBuffer(deviceId: string, obis: string, name: string, r: Extract<Reading, { kind: 'profile' }>): number {
    const db = this.db();
    const known = db.findProfile(deviceId, obis);
    return db.recordProfile({ deviceId, obis, name: known?.name ?? name, groupId: '', readAt: Date.now(), columns: r.columns, rows: r.rows }).profileId;
  }
}

/** The time a buffer read covers: the range asked for, widened to the rows' capture times (the
 * meter includes the row at the range's end); half-open, so the newest row is inside. */
function rangeOfRows(rows: readonly { readonly epochMs: number | null }[], asked: MeterReadArgs['range']): MeterBufferView['range'] {
  const times = rows.map((r) => r.epochMs).filter((t): t is number => t !== null);
  if (times.length === 0) return asked === undefined ? null : { from: asked.from, to: asked.to };
  const first = Math.min(...times);
  const last = Math.max(...times);
  return { from: Math.min(first, asked?.from ?? first), to: Math.max(last + 1, asked?.to ?? last + 1) };
}

function rawText(raw: Reading['raw']): string | null {
  return raw === null ? null : formatValue(raw, { maxItems: 24, maxBytes: 128 });
}

/** Larger values (a long object list) are shown, not offered to an editor. */
const EDITABLE_JSON_CHARS = 16_384;

function jsonOf(raw: Reading['raw']): { json?: DlmsJson } {
  if (raw === null) return {};
  const json = dlmsValueToJson(raw);
  return JSON.stringify(json).length > EDITABLE_JSON_CHARS ? {} : { json };
}

function labelledView(a: LabelledAttribute): MeterAttributeView {
  return {
    id: a.id,
    name: a.name,
    text: a.text,
    raw: rawText(a.raw),
    ...jsonOf(a.raw),
    ...(a.table === undefined ? {} : { table: a.table }),
    error: a.error === null ? null : apiErrorOf(a.error).message,
  };
}

const withUnit = (value: Reading['value'], unit: string | null): string => `${String(jsonValue(value))}${unit === null ? '' : ` ${unit}`}`;

/** One attribute's reading, decoded by the reader its class gave it; `version` (the object list's) where the meaning depends on it. */
function readingAttributeView(r: Reading, id: number, version: number | undefined): MeterAttributeView {
  const base = { id, name: attributeLabel(r.classId, id) };
  if (r.error !== null && r.raw === null) return { ...base, text: null, raw: null, error: apiErrorOf(r.error).message };
  const details: { label: string; text: string }[] = [];
  let text: string | null;
  let table: MeterAttributeView['table'];
  switch (r.kind) {
    case 'register':
    case 'extended-register':
    case 'demand-register':
      text = r.value === null ? null : withUnit(r.value, r.unit);
      if (r.scaler !== null) details.push({ label: 'scaler', text: String(r.scaler) });
      if (r.status !== null) details.push({ label: 'status', text: String(jsonValue(r.status)) });
      if (r.captureTime !== null) details.push({ label: 'capture time', text: new Date(r.captureTime).toISOString() });
      if (r.kind === 'demand-register') {
        if (r.lastAverage !== null) details.push({ label: 'last average', text: withUnit(r.lastAverage, r.unit) });
        if (r.periodSeconds !== null) details.push({ label: 'period', text: `${r.periodSeconds} s` });
      }
      break;
    case 'clock':
      text = r.raw === null ? null : (attributeMeaning(8, 2, r.raw)?.text ?? formatValue(r.raw));
      if (r.driftSeconds !== null) details.push({ label: 'drift from this computer', text: `${r.driftSeconds > 0 ? '+' : ''}${r.driftSeconds} s` });
      if (r.clockStatus.length > 0) details.push({ label: 'status', text: r.clockStatus.join(', ') });
      break;
    case 'profile':
      text = `${r.rows.length} row${r.rows.length === 1 ? '' : 's'} of ${r.columns.length} column${r.columns.length === 1 ? '' : 's'}`;
      if (r.entriesInUse !== null) details.push({ label: 'entries in use', text: String(r.entriesInUse) });
      return { ...base, text, raw: null, details, error: r.error === null ? null : apiErrorOf(r.error).message };
    case 'value': {
      // The reader gave a meaning without the object's version; the object list gives it here.
      const meaning = r.raw !== null && r.unit === null ? (attributeMeaning(r.classId, id, r.raw, version) ?? r.meaning) : r.meaning;
      text = meaning?.text ?? (r.unit !== null && r.value !== null ? withUnit(r.value, r.unit) : rawText(r.raw));
      table = meaning?.table ?? undefined;
      break;
    }
    case 'object': {
      const a = r.attributes.find((x) => x.id === id);
      if (a !== undefined) return labelledView(a);
      text = rawText(r.raw);
      break;
    }
    default: {
      const never: never = r;
      return never;
    }
  }
  return {
    ...base,
    text,
    raw: rawText(r.raw),
    ...jsonOf(r.raw),
    ...(details.length === 0 ? {} : { details }),
    ...(table === undefined ? {} : { table }),
    error: r.error === null ? null : apiErrorOf(r.error).message,
  };
}

/** `cosem-studio objects`: the association's object list, as the meter gives it. */
import { className } from '../../core/cosem/class-names.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { formatObis, obisFromBytes, obisToBytes, parseObis, standardName } from '../../core/obis.js';
import type { Command, Io } from '../cli.js';
import { withDeviceSession } from '../services/device-session.js';
import { command, flag, type OptionSpec, usage } from './args.js';
import { withDeviceLink } from './device-link.js';
import { DEVICE_OPTIONS, LINK_OPTIONS, deviceFromArgs } from './device-options.js';

const OPTIONS: OptionSpec[] = [...LINK_OPTIONS, ...DEVICE_OPTIONS, { name: '--json', help: 'print a JSON array' }, { name: '--help', help: 'this text' }];

const HELP = usage(
  'objects',
  '(--tcp HOST:PORT | --serial PATH | --config FILE) [device options]',
  'Lists the objects the association may reach: OBIS code, class, version, access rights and the\nstandard name. With short names (--sn) the base names too.',
  OPTIONS,
);

export interface ListedObject {
  readonly obis: string;
  readonly classId: number;
  /** The Blue Book name, also for classes the app has no attribute table for ('PPP setup'). */
  readonly className: string;
  readonly version: number;
  readonly baseName?: number;
  /** e.g. "2:rw 3:r", or "" when the meter gives no access rights. */
  readonly attributes: string;
  readonly methods: string;
  readonly name: string;
}

const ACCESS = ['-', 'r', 'w', 'rw', 'ar', 'aw', 'arw'];

function num(v: DlmsValue | undefined): number {
  return v !== undefined && 'value' in v && typeof v.value === 'number' ? v.value : NaN;
}

/** Attribute 2 of the Association LN: array of {class_id, version, logical_name, access_rights}. */
export function objectsFromList(list: DlmsValue): ListedObject[] {
  if (list.type !== 'array') return [];
  return list.items.flatMap((item) => {
    if (item.type !== 'structure' || item.items.length < 3) return [];
    const [cls, ver, ln, rights] = item.items;
    if (ln?.type !== 'octet-string' || ln.value.length !== 6) return [];
    const classId = num(cls);
    let attributes = '';
    let methods = '';
    if (rights?.type === 'structure') {
      const [attrs, meths] = rights.items;
      if (attrs?.type === 'array') {
        attributes = attrs.items.map((a) => (a.type === 'structure' ? `${num(a.items[0])}:${ACCESS[num(a.items[1])] ?? '?'}` : '')).join(' ');
      }
      if (meths?.type === 'array') {
        methods = meths.items
          .map((m) =>
            m.type === 'structure' ? `${num(m.items[0])}:${num(m.items[1]) > 0 || (m.items[1]?.type === 'boolean' && m.items[1].value) ? 'x' : '-'}` : '',
          )
          .join(' ');
      }
    }
    const obis = obisFromBytes(ln.value);
    return [{ obis: formatObis(obis), classId, className: className(classId), version: num(ver), attributes, methods, name: standardName(obis) ?? '' }];
  });
}

/** One line of the listing: OBIS, class id and name, version, base name, access rights, standard name. */
export function objectLine(o: ListedObject): string {
  const bn = o.baseName !== undefined ? ` 0x${o.baseName.toString(16).toUpperCase().padStart(4, '0')}` : '';
  return (
    `${o.obis.padEnd(18)} ${String(o.classId).padStart(3)} ${o.className.padEnd(24)} v${o.version}${bn}  ` +
    `${o.attributes}${o.methods ? ` | ${o.methods}` : ''}  ${o.name}`
  );
}

export const objectsCommand: Command = command({ options: OPTIONS, help: HELP, positionals: false }, async (args, io: Io) => {
  const settings = deviceFromArgs(args);
  const objects: ListedObject[] = await withDeviceLink(args, settings, io, ({ link, context }) =>
    withDeviceSession(settings, link, context, async (client) => {
      if (settings.referencing === 'sn') {
        return (await client.readObjectList()).map((o) => {
          const obis = obisFromBytes(o.logicalName);
          return {
            obis: formatObis(obis),
            classId: o.classId,
            className: className(o.classId),
            version: o.version,
            baseName: o.baseName,
            attributes: '',
            methods: '',
            name: standardName(obis) ?? '',
          };
        });
      }
      return objectsFromList(await client.get({ classId: 15, logicalName: obisToBytes(parseObis('0-0:40.0.0.255')), attributeId: 2 }));
    }),
  );
  if (flag(args, '--json')) {
    io.out(JSON.stringify(objects, null, 2));
    return 0;
  }
  for (const o of objects) io.out(objectLine(o));
  io.out(`${objects.length} objects`);
  return 0;
});

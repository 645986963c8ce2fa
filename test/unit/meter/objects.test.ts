import { describe, expect, it } from 'vitest';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { COSEM_CLASSES, findCosemClass } from '../../../core/cosem/classes.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { typeMismatches } from './cosem-types.js';
import { managementClient, publicClient } from './meter-client.js';

/** The classes of the spec's "COSEM class id" list. */
const SPEC_CLASSES = [1, 3, 4, 5, 6, 7, 8, 9, 11, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 40, 41, 42, 43, 45, 47, 48, 62, 64, 68, 70, 71];

describe('the object model', () => {
  const meter = createVirtualMeter();

  it('has at least one object of every class in the spec list', () => {
    const present = new Set(meter.objects.map((o) => o.classId));
    expect(SPEC_CLASSES.filter((c) => !present.has(c))).toEqual([]);
  });

  it('has the standard objects at their OBIS codes', () => {
    const have = new Map(meter.objects.map((o) => [o.obis, o.classId]));
    const expected: [string, number][] = [
      ['0-0:1.0.0.255', 8],
      ['0-0:42.0.0.255', 1],
      ['0-0:96.1.0.255', 1],
      ['1-0:0.2.0.255', 1],
      ['0-0:40.0.0.255', 15],
      ['0-0:41.0.0.255', 17],
      ['0-0:22.0.0.255', 23],
      ['1-0:1.8.0.255', 3],
      ['1-0:2.8.0.255', 3],
      ['1-0:1.8.1.255', 3],
      ['1-0:1.8.2.255', 3],
      ['1-0:3.8.0.255', 3],
      ['1-0:4.8.0.255', 3],
      ['1-0:1.7.0.255', 3],
      ['1-0:2.7.0.255', 3],
      ['1-0:32.7.0.255', 3],
      ['1-0:52.7.0.255', 3],
      ['1-0:72.7.0.255', 3],
      ['1-0:31.7.0.255', 3],
      ['1-0:51.7.0.255', 3],
      ['1-0:71.7.0.255', 3],
      ['1-0:14.7.0.255', 3],
      ['1-0:13.7.0.255', 3],
      ['1-0:1.6.0.255', 4],
      ['1-0:1.4.0.255', 5],
      ['1-0:99.1.0.255', 7],
      ['0-0:99.98.0.255', 7],
      ['0-0:96.3.10.255', 70],
    ];
    for (const [code, classId] of expected) expect([code, have.get(code)]).toEqual([code, classId]);
  });

  it("carries each class's version, attributes and methods as core/cosem describes them", () => {
    for (const o of meter.objects) {
      const c = findCosemClass(o.classId);
      expect(c, `class ${o.classId}`).toBeDefined();
      const inVersion = (x: { sinceVersion?: number }) => (x.sinceVersion ?? 0) <= o.version;
      expect([o.obis, o.version]).toEqual([o.obis, c!.version]);
      expect([o.obis, o.attributes.map((a) => `${a.id} ${a.name}`)]).toEqual([o.obis, c!.attributes.filter(inVersion).map((a) => `${a.id} ${a.name}`)]);
      expect([o.obis, o.methods.map((m) => m.id)]).toEqual([o.obis, c!.methods.filter(inVersion).map((m) => m.id)]);
    }
  });

  it('lets the management client read every readable attribute of every object, each with the type of its class table', () => {
    const c = managementClient(meter);
    let reads = 0;
    const problems: string[] = [];
    for (const o of meter.objects) {
      const table = findCosemClass(o.classId)!;
      for (const a of o.attributes) {
        const readable = a.access.management === 'read' || a.access.management === 'read-write';
        if (!readable) {
          expect([o.obis, a.id, c.getRefusal(o.classId, o.obis, a.id)]).toEqual([o.obis, a.id, 3]);
          continue;
        }
        const value: DlmsValue = c.get(o.classId, o.obis, a.id);
        reads++;
        const type = table.attributes.find((x) => x.id === a.id)?.type;
        if (type !== undefined) problems.push(...typeMismatches(value, type, `${o.obis}/${a.id} ${a.name}`));
      }
    }
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(250);
  });

  it('gives the public client read access to most objects, and read-write-denied (3) where it has none', () => {
    const c = publicClient(meter);
    const denied: string[] = [];
    for (const o of meter.objects) {
      for (const a of o.attributes) {
        if (a.access.public === 'none' || a.access.public === 'write') {
          expect(c.getRefusal(o.classId, o.obis, a.id)).toBe(3);
          denied.push(`${o.obis}/${a.id}`);
        }
      }
    }
    expect(denied).toContain('0-0:40.0.0.255/7');
    expect(c.get(3, '1-0:1.8.0.255', 2).type).toBe('double-long-unsigned');
    expect(denied.length).toBeLessThan(10);
  });

  it(
    'answers object-undefined (4) for an unknown object, object-class-inconsistent (9) for a wrong class, ' + 'read-write-denied (3) for a missing attribute',
    () => {
      const c = publicClient(meter);
      expect(c.getRefusal(3, '1-0:99.8.0.255', 2)).toBe(4);
      expect(c.getRefusal(1, '1-0:1.8.0.255', 2)).toBe(9);
      expect(c.getRefusal(3, '1-0:1.8.0.255', 4)).toBe(3);
      expect(c.getRefusal(3, '1-0:1.8.0.255', -1)).toBe(3);
    },
  );

  it('reads the identity, scaler/unit and measurement values a meter engineer expects', () => {
    const c = publicClient(meter);
    const text = (v: DlmsValue) => (v.type === 'octet-string' ? String.fromCharCode(...v.value) : `(${v.type})`);
    expect(text(c.get(1, '0-0:42.0.0.255', 2))).toBe('CSM0000012345678');
    expect(text(c.get(1, '0-0:96.1.0.255', 2))).toBe('12345678');
    expect(text(c.get(1, '1-0:0.2.0.255', 2))).toBe('CSM-FW 1.4.2');
    const su = (code: string) => c.get(3, code, 3);
    const scalerUnit = (s: number, u: number) => ({
      type: 'structure',
      items: [
        { type: 'integer', value: s },
        { type: 'enum', value: u },
      ],
    });
    expect(su('1-0:1.8.0.255')).toEqual(scalerUnit(0, 30));
    expect(su('1-0:3.8.0.255')).toEqual(scalerUnit(0, 32));
    expect(su('1-0:1.7.0.255')).toEqual(scalerUnit(0, 27));
    expect(su('1-0:32.7.0.255')).toEqual(scalerUnit(-1, 35));
    expect(su('1-0:31.7.0.255')).toEqual(scalerUnit(-2, 33));
    expect(su('1-0:14.7.0.255')).toEqual(scalerUnit(-2, 44));
    expect(su('1-0:13.7.0.255')).toEqual(scalerUnit(-3, 255));
    const num = (v: DlmsValue) => ('value' in v && typeof v.value === 'number' ? v.value : Number.NaN);
    for (const code of ['1-0:32.7.0.255', '1-0:52.7.0.255', '1-0:72.7.0.255']) {
      expect(num(c.get(3, code, 2)) / 10).toBeGreaterThan(215);
      expect(num(c.get(3, code, 2)) / 10).toBeLessThan(245);
    }
    const hz = num(c.get(3, '1-0:14.7.0.255', 2)) / 100;
    expect(hz).toBeGreaterThan(49.9);
    expect(hz).toBeLessThan(50.1);
    const pf = num(c.get(3, '1-0:13.7.0.255', 2)) / 1000;
    expect(pf).toBeGreaterThan(0.7);
    expect(pf).toBeLessThanOrEqual(1);
    // Import and export power never flow at once.
    const imp = num(c.get(3, '1-0:1.7.0.255', 2));
    const exp = num(c.get(3, '1-0:2.7.0.255', 2));
    expect(imp === 0 || exp === 0).toBe(true);
    // The HDLC setup tells the truth about the link.
    expect(c.get(23, '0-0:22.0.0.255', 5)).toEqual({ type: 'long-unsigned', value: 128 });
    expect(c.get(23, '0-0:22.0.0.255', 3)).toEqual({ type: 'unsigned', value: 1 });
  });

  it('lists every object with the access rights of the asking client in the current association', () => {
    const pub = publicClient(meter);
    const list = pub.get(15, '0-0:40.0.0.255', 2);
    expect(list.type).toBe('array');
    if (list.type !== 'array') return;
    expect(list.items.length).toBe(meter.objects.length);
    const entry = list.items.find((e) => e.type === 'structure' && e.items[2]?.type === 'octet-string' && e.items[2].value.join('.') === '0.0.40.0.0.255');
    // {15, 2, LN, {attribute_access, method_access}}: the secret (7) is not accessible to the public client.
    const rights = entry?.type === 'structure' ? entry.items[3] : undefined;
    const attrs = rights?.type === 'structure' ? rights.items[0] : undefined;
    const secret = attrs?.type === 'array' ? attrs.items[6] : undefined;
    expect(secret).toEqual({ type: 'structure', items: [{ type: 'integer', value: 7 }, { type: 'enum', value: 0 }, { type: 'null-data' }] });
    const mgmt = managementClient(meter).get(15, '0-0:40.0.0.255', 2);
    const mEntry =
      mgmt.type === 'array' ? mgmt.items.find((e) => e.type === 'structure' && e.items[0]?.type === 'long-unsigned' && e.items[0].value === 70) : undefined;
    const mRights = mEntry?.type === 'structure' ? mEntry.items[3] : undefined;
    expect(mRights?.type === 'structure' ? mRights.items[1] : undefined).toEqual({
      type: 'array',
      items: [1, 2].map((id) => ({
        type: 'structure',
        items: [
          { type: 'integer', value: id },
          { type: 'enum', value: 1 },
        ],
      })),
    });
    expect(pub.get(15, '0-0:40.0.0.255', 3)).toEqual({
      type: 'structure',
      items: [
        { type: 'integer', value: 16 },
        { type: 'long-unsigned', value: 1 },
      ],
    });
    expect(COSEM_CLASSES.length).toBeGreaterThan(30);
  });
});

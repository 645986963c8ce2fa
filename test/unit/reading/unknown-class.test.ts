/**
 * An object of a class the app has no attribute table for (a newer Blue Book class such as PPP setup
 * (44), or a manufacturer's) is still read: by name, attribute by attribute, with its raw values,
 * until the meter says an attribute does not exist.
 */
import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues } from '../../../core/app/reading/index.js';
import type { ObjectReading } from '../../../core/app/reading/types.js';
import { ok, refKey, refused, ScriptedClient } from './support.js';

const PPP = '0-0:25.3.0.255';

describe('a class without an attribute table', () => {
  it('reads attributes 2 onwards until one does not exist, shown raw under their numbers', async () => {
    const client = new ScriptedClient((ref) => {
      if (ref.attributeId === 2) return ok({ type: 'octet-string', value: new Uint8Array([0, 0, 25, 1, 0, 255]) });
      if (ref.attributeId === 3) return ok({ type: 'array', items: [] });
      if (ref.attributeId === 4) return refused(3);
      if (ref.attributeId === 5) return ok({ type: 'long-unsigned', value: 1500 });
      return refused(4);
    });
    const [reading] = await readValues(client, new DeviceCache(), [{ name: 'PPP', obis: PPP, classId: 44 }], { now: () => 0 });
    const r = reading as ObjectReading;
    expect(r.kind).toBe('object');
    expect(r.error).toBeNull();
    expect(r.attributes.map((a) => [a.id, a.name, a.text ?? a.error?.code])).toEqual([
      [2, 'attribute 2', 'octets 0000190100ff'],
      [3, 'attribute 3', '[]'],
      [4, 'attribute 4', 'read-write-denied'],
      [5, 'attribute 5', '1500'],
    ]);
    // One round of 8 (2..9): attribute 6 did not exist, so nothing more was asked.
    expect(client.calls.map((c) => c.map(refKey))).toEqual([[2, 3, 4, 5, 6, 7, 8, 9].map((a) => `44 ${PPP} ${a}`)]);
  });

  it('asks in rounds of 8 up to attribute 32 while every attribute exists', async () => {
    const client = new ScriptedClient(() => ok({ type: 'unsigned', value: 7 }));
    const [reading] = await readValues(client, new DeviceCache(), [{ name: 'Vendor', obis: '0-128:1.0.0.255', classId: 8193 }], { now: () => 0 });
    expect((reading as ObjectReading).attributes).toHaveLength(31);
    expect(client.calls.map((c) => c.length)).toEqual([8, 8, 8, 7]);
  });

  it('an object the meter does not have is an error naming the class', async () => {
    const client = new ScriptedClient(() => refused(4));
    const [reading] = await readValues(client, new DeviceCache(), [{ name: 'Nothing', obis: PPP, classId: 44 }], { now: () => 0 });
    expect(reading!.error?.message).toMatch(/PPP setup/);
  });

  it('a class id out of range is refused with the field named', async () => {
    const client = new ScriptedClient(() => refused(4));
    const [reading] = await readValues(client, new DeviceCache(), [{ name: 'Bad', obis: PPP, classId: 70000 }], { now: () => 0 });
    expect(reading!.error?.message).toMatch(/COSEM class id: 70000 is not valid: an interface class of the Blue Book/);
    expect(client.calls).toEqual([]);
  });
});

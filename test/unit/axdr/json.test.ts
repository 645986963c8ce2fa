import { describe, expect, it } from 'vitest';
import { dlmsValueFromJson, dlmsValueToJson, dlmsValueToJsonText } from '../../../core/axdr/json.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { InputError } from '../../../core/errors.js';
import { ALL_TYPES, randomValue, simpleValue, SIMPLE_TYPES } from './generate.js';
import { Prng } from './prng.js';

/** Through JSON text and back, as a value crosses the CLI or the API. */
function viaText(v: DlmsValue): DlmsValue {
  return dlmsValueFromJson(JSON.parse(JSON.stringify(dlmsValueToJson(v))), 'value');
}

function refusal(json: unknown): InputError {
  try {
    dlmsValueFromJson(json, 'value');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`accepted ${JSON.stringify(json)}`);
}

describe('DlmsValue JSON form', () => {
  it.each(SIMPLE_TYPES.map((t) => [t]))('%s: 200 random values round-trip through JSON text', (type) => {
    const rng = new Prng(4000 + type.length);
    for (let i = 0; i < 200; i++) {
      const v = simpleValue(rng, type);
      expect(viaText(v), `step ${i}`).toEqual(v);
    }
  });

  it('nested arrays, structures and compact-arrays round-trip', () => {
    const rng = new Prng(77);
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const v = randomValue(rng);
      seen.add(v.type);
      expect(viaText(v), `step ${i}`).toEqual(v);
    }
    expect([...seen].sort()).toEqual([...ALL_TYPES].sort());
  });

  it('spells what JSON cannot carry as text, as read --json prints it', () => {
    expect(dlmsValueToJson({ type: 'long64-unsigned', value: 18446744073709551615n })).toEqual({ type: 'long64-unsigned', value: '18446744073709551615' });
    expect(dlmsValueToJson({ type: 'octet-string', value: Uint8Array.of(1, 0, 0xff) })).toEqual({ type: 'octet-string', value: '0100ff' });
    expect(dlmsValueToJsonText({ type: 'float64', value: -0 })).toBe('{"type":"float64","value":"-0"}');
    expect(viaText({ type: 'float32', value: NaN })).toEqual({ type: 'float32', value: NaN });
    const dt = { year: 2026, month: 3, dayOfMonth: 29, dayOfWeek: 7, hour: 2, minute: 0, second: 0, hundredths: 0, deviation: -60, clockStatus: 0x80 };
    expect(dlmsValueToJson({ type: 'date-time', value: dt })).toEqual({ type: 'date-time', value: dt });
  });

  it('takes JSON text, decimal text for integers and ISO 8601 for a date-time', () => {
    expect(dlmsValueFromJson('{"type":"long-unsigned","value":900}', 'value')).toEqual({ type: 'long-unsigned', value: 900 });
    expect(dlmsValueFromJson({ type: 'double-long', value: '-5' }, 'value')).toEqual({ type: 'double-long', value: -5 });
    expect(dlmsValueFromJson({ type: 'long64', value: 12 }, 'value')).toEqual({ type: 'long64', value: 12n });
    expect(dlmsValueFromJson({ type: 'date-time', value: '2026-11-22T01:51:18+01:00' }, 'value')).toEqual({
      type: 'date-time',
      value: { year: 2026, month: 11, dayOfMonth: 22, dayOfWeek: 7, hour: 1, minute: 51, second: 18, hundredths: 0, deviation: -60, clockStatus: 0 },
    });
  });

  it('refuses bad input naming the field, the value and what is allowed', () => {
    let e = refusal({ type: 'unsigned', value: 256 });
    expect(e.field).toBe('value.value');
    expect(e.message).toBe('value.value: 256 is not valid: an unsigned is a whole number from 0 to 255');
    e = refusal({
      type: 'structure',
      items: [
        { type: 'enum', value: 1 },
        { type: 'long', value: 1.5 },
      ],
    });
    expect(e.field).toBe('value.items[1].value');
    expect(e.message).toContain('-32768 to 32767');
    e = refusal({ type: 'word', value: 1 });
    expect(e.field).toBe('value.type');
    expect(e.message).toContain('long-unsigned');
    expect(refusal(900).message).toContain('{"type":"long-unsigned","value":900}');
    expect(refusal('{oops').message).toContain('expected JSON of a typed value');
    expect(refusal({ type: 'octet-string', value: 'xyz' }).message).toContain('hexadecimal');
    expect(refusal({ type: 'long64-unsigned', value: '-1' }).message).toContain('0 to 18446744073709551615');
    expect(refusal({ type: 'date-time', value: '2026-02-30T00:00:00Z' }).message).toContain('day 30 does not exist');
    expect(refusal({ type: 'date', value: { year: 2026, month: 256, dayOfMonth: 1, dayOfWeek: 255 } }).field).toBe('value.value.month');
    expect(refusal({ type: 'array', items: 'x' }).field).toBe('value.items');
    expect(refusal({ type: 'compact-array', description: { type: 'compact-array' }, items: [] }).field).toBe('value.description');
    expect(refusal({ type: 'bit-string', value: '012' }).message).toContain('0 and 1');
    expect(refusal({ type: 'visible-string', value: 'Ω' }).message).toContain('utf8-string');
  });
});

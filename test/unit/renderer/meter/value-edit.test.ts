/** The typed value editor's rules: which editor a type gets, what it starts from, and parse, ranges and refusals naming the field. */
import { describe, expect, it } from 'vitest';
import type { DlmsJson } from '../../../../core/axdr/json.js';
import { editorKind, initialInput, parseInput, type EditSpec } from '../../../../renderer/src/components/value-edit.js';
import { enumNames, methodParameters, scalerUnitOf } from '../../../../renderer/src/views/meter/changes.js';

const spec = (initial: DlmsJson, extra: Partial<EditSpec> = {}): EditSpec => ({ field: 'capture_period', initial, ...extra });
const parse = (s: EditSpec, text: string, extra: object = {}) => parseInput(s, { ...initialInput(s), text, ...extra });

describe('value editor by type', () => {
  it('integers: whole numbers within the type, else a refusal naming the field and the range', () => {
    const s = spec({ type: 'double-long-unsigned', value: 900 });
    expect(editorKind(s)).toBe('integer');
    expect(initialInput(s).text).toBe('900');
    expect(parse(s, ' 60 ')).toEqual({ ok: true, json: { type: 'double-long-unsigned', value: 60 } });
    expect(parse(s, '-1')).toEqual({ ok: false, error: 'capture_period: -1 is not valid: double-long-unsigned from 0 to 4294967295 is allowed' });
    expect(parse(s, '1.5')).toMatchObject({ ok: false, error: expect.stringMatching(/^capture_period: "1.5" is not valid: a whole number is required/) });
    const shift = spec({ type: 'long', value: 0 }, { field: 'shift_time parameters', range: [-900, 900] });
    expect(parse(shift, '-900')).toEqual({ ok: true, json: { type: 'long', value: -900 } });
    expect(parse(shift, '901')).toEqual({ ok: false, error: 'shift_time parameters: 901 is not valid: long from -900 to 900 is allowed' });
    expect(parse(spec({ type: 'long64-unsigned', value: '1' }), '18446744073709551615')).toEqual({
      ok: true,
      json: { type: 'long64-unsigned', value: '18446744073709551615' },
    });
    expect(parse(spec({ type: 'long64-unsigned', value: '1' }), '18446744073709551616').ok).toBe(false);
  });

  it('enums by name where the Blue Book gives meanings (HDLC comm_speed)', () => {
    const names = enumNames(23, 2)!;
    expect(names.get(5)).toBe('9600 baud');
    expect(names.size).toBe(10);
    expect(enumNames(3, 2)).toBeUndefined();
    const s = spec({ type: 'enum', value: 5 }, { field: 'comm_speed', enumNames: names });
    expect(editorKind(s)).toBe('enum');
    expect(parse(s, '6')).toEqual({ ok: true, json: { type: 'enum', value: 6 } });
    expect(parse(s, '256')).toEqual({ ok: false, error: 'comm_speed: 256 is not valid: enum from 0 to 255 is allowed' });
  });

  it('booleans, floats and strings', () => {
    expect(parse(spec({ type: 'boolean', value: true }), 'false')).toEqual({ ok: true, json: { type: 'boolean', value: false } });
    expect(parse(spec({ type: 'float32', value: 1.5 }), '230.5')).toEqual({ ok: true, json: { type: 'float32', value: 230.5 } });
    expect(parse(spec({ type: 'float32', value: 1.5 }), 'abc').ok).toBe(false);
    const name = spec({ type: 'visible-string', value: 'old' }, { field: 'name' });
    expect(editorKind(name)).toBe('text');
    expect(parse(name, 'Meter 7')).toEqual({ ok: true, json: { type: 'visible-string', value: 'Meter 7' } });
    expect(parse(name, 'Zähler €')).toMatchObject({ ok: false, error: expect.stringContaining('name.value') });
  });

  it('octet strings as hex or as text', () => {
    const hex = spec({ type: 'octet-string', value: '0100010800ff' }, { field: 'logical_name' });
    expect(initialInput(hex)).toEqual({ text: '0100010800ff', octetMode: 'hex' });
    expect(parse(hex, '01 00 02 08 00 FF')).toEqual({ ok: true, json: { type: 'octet-string', value: '0100020800ff' } });
    expect(parse(hex, '0g')).toMatchObject({ ok: false, error: expect.stringMatching(/^logical_name: "0g" is not valid: hexadecimal/) });
    const text = spec({ type: 'octet-string', value: '4142' });
    expect(initialInput(text)).toEqual({ text: 'AB', octetMode: 'text' });
    expect(parse(text, 'XYZ')).toEqual({ ok: true, json: { type: 'octet-string', value: '58595a' } });
    expect(parse(text, 'a\u0001')).toMatchObject({ ok: false });
  });

  it('date-times as an octet-string(12) with the deviation and the status kept', () => {
    // 2026-12-07 10:00:00, deviation -60, status 0x80 (daylight saving active).
    const s = spec({ type: 'octet-string', value: '07ea0c0701' + '0a000000' + 'ffc4' + '80' }, { field: 'time', dateTime: true });
    expect(editorKind(s)).toBe('date-time');
    expect(initialInput(s)).toEqual({ text: '2026-12-07T10:00:00', deviation: '-60' });
    const r = parse(s, '2026-12-08T11:30:15', { deviation: '-120' });
    expect(r).toEqual({ ok: true, json: { type: 'octet-string', value: '07ea0c0802' + '0b1e0f00' + 'ff88' + '80' } });
    expect(parse(s, '2026-12-08T11:30', { deviation: '' })).toEqual({
      ok: true,
      json: { type: 'octet-string', value: '07ea0c0802' + '0b1e0000' + '8000' + '80' },
    });
    expect(parse(s, '2026-12-08T11:30', { deviation: '900' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^time deviation: "900" is not valid/),
    });
    expect(parse(s, '')).toMatchObject({ ok: false, error: expect.stringMatching(/^time: "" is not valid: a date and a time are required/) });
    expect(editorKind(spec({ type: 'octet-string', value: '0102' }, { dateTime: true }))).toBe('octets');
  });

  it('structures and arrays as typed JSON, prefilled and checked element by element', () => {
    const current: DlmsJson = {
      type: 'structure',
      items: [
        { type: 'integer', value: -1 },
        { type: 'enum', value: 30 },
      ],
    };
    const s = spec(current, { field: 'scaler_unit' });
    expect(editorKind(s)).toBe('json');
    expect(JSON.parse(initialInput(s).text)).toEqual(current);
    expect(parse(s, '{"type":"structure","items":[{"type":"integer","value":-2},{"type":"enum","value":30}]}')).toEqual({
      ok: true,
      json: {
        type: 'structure',
        items: [
          { type: 'integer', value: -2 },
          { type: 'enum', value: 30 },
        ],
      },
    });
    expect(parse(s, '{"type":"structure","items":[{"type":"integer","value":300}]}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^scaler_unit\.items\[0\]\.value: 300 is not valid/),
    });
    expect(parse(s, '{nope')).toMatchObject({ ok: false, error: expect.stringMatching(/^scaler_unit: .* JSON of a typed value/) });
  });

  it('knows the parameters of the usual methods', () => {
    expect(methodParameters(70, 1)).toMatchObject({ initial: { type: 'integer', value: 0 }, known: true });
    expect(methodParameters(7, 2)).toMatchObject({ initial: { type: 'integer', value: 0 }, known: true });
    expect(methodParameters(8, 6)).toMatchObject({ initial: { type: 'long', value: 0 }, range: [-900, 900] });
    expect(methodParameters(9, 1)).toMatchObject({ initial: { type: 'long-unsigned', value: 1 } });
    expect(methodParameters(8193, 1).known).toBe(false);
    expect(
      scalerUnitOf({
        type: 'structure',
        items: [
          { type: 'integer', value: -1 },
          { type: 'enum', value: 35 },
        ],
      }),
    ).toEqual({ scaler: -1, unit: 'V' });
  });
});

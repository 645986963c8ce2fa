import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import { dateTimeFromEpochMs, dateTimeToBytes } from '../../../core/axdr/datetime.js';
import { DEVIATION_NOT_SPECIFIED, type DlmsValue } from '../../../core/axdr/types.js';
import { InputError, RemoteProtocolError } from '../../../core/errors.js';
import { obisKey, obisToBytes, parseObis } from '../../../core/obis.js';
import { captureObjectsFromValue, profileRows, type CaptureObject } from '../../../core/cosem/profile.js';
import type { ScalerUnit } from '../../../core/cosem/scaler.js';
import { datablockPayload, hdlcApdus, loadTrace, noteDateTimeToIso, normalResponseData, wrapperApdus } from './trace.js';

const CLOCK = parseObis('0-0:1.0.0.255');
const REGISTER = parseObis('1-1:21.25.0.255');

// The traces do not read capture_objects; the Gurux example server captures its clock and
// the register read just before.
const TRACE_CAPTURE: CaptureObject[] = [
  { classId: 8, logicalName: CLOCK, attributeIndex: 2, dataIndex: 0 },
  { classId: 3, logicalName: REGISTER, attributeIndex: 2, dataIndex: 0 },
];

type ExpectedRow = readonly [string, number];

function expectedRows(rows: unknown): { iso: string; value: number }[] {
  return (rows as ExpectedRow[]).map(([note, value]) => ({ iso: noteDateTimeToIso(note), value }));
}

describe('captureObjectsFromValue', () => {
  const entry = (cls: number, ln: string, attr: number, data: number): DlmsValue => ({
    type: 'structure',
    items: [
      { type: 'long-unsigned', value: cls },
      { type: 'octet-string', value: obisToBytes(parseObis(ln)) },
      { type: 'integer', value: attr },
      { type: 'long-unsigned', value: data },
    ],
  });

  it('decodes attribute 3 bytes', () => {
    const value: DlmsValue = { type: 'array', items: [entry(8, '0-0:1.0.0.255', 2, 0), entry(3, '1-0:1.8.0.255', 2, 0)] };
    const bytes = encodeDataBytes(value);
    expect(toHex(bytes)).toBe('0102' + '020412000809060000010000ff0f02120000' + '020412000309060100010800ff0f02120000');
    expect(captureObjectsFromValue(decodeDataBytes(bytes))).toEqual([
      { classId: 8, logicalName: [0, 0, 1, 0, 0, 255], attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: [1, 0, 1, 8, 0, 255], attributeIndex: 2, dataIndex: 0 },
    ]);
  });

  it.each([
    [{ type: 'structure', items: [] }, 'capture_objects: expected array of capture object definitions, got structure of 0'],
    [
      { type: 'array', items: [{ type: 'null-data' }] },
      'capture_objects[0]: expected structure {class_id, logical_name, attribute_index, data_index}, got null-data',
    ],
    [
      {
        type: 'array',
        items: [
          {
            type: 'structure',
            items: [
              { type: 'long-unsigned', value: 3 },
              { type: 'octet-string', value: new Uint8Array(5) },
              { type: 'integer', value: 2 },
              { type: 'long-unsigned', value: 0 },
            ],
          },
        ],
      },
      'capture_objects[0].logical_name: expected octet-string(6), got octet-string(5)',
    ],
    [
      {
        type: 'array',
        items: [
          {
            type: 'structure',
            items: [
              { type: 'visible-string', value: 'x' },
              { type: 'octet-string', value: new Uint8Array(6) },
              { type: 'integer', value: 2 },
              { type: 'long-unsigned', value: 0 },
            ],
          },
        ],
      },
      'capture_objects[0].class_id: expected long-unsigned, got visible-string(1)',
    ],
  ] as const)('refuses a wrong shape %#', (value, message) => {
    try {
      captureObjectsFromValue(value as DlmsValue);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RemoteProtocolError);
      expect((e as Error).message).toBe(message);
    }
  });
});

describe('profile rows from the recorded sessions', () => {
  it('wrapper trace: the full buffer from two GET.response-with-datablock messages', () => {
    const trace = loadTrace('wrapper-low-auth.json');
    const payload = datablockPayload(wrapperApdus(trace), 0xc4);
    expect(payload.length).toBe(trace.results['profile_buffer_all_bytes']);
    const table = profileRows(TRACE_CAPTURE, decodeDataBytes(payload));
    const expected = expectedRows(trace.results['profile_buffer_all_rows']);
    expect(table.rows).toHaveLength(40);
    expect(table.rows.map((r) => r.timestamp)).toEqual(expected.map((r) => r.iso));
    expect(table.rows.map((r) => r.values)).toEqual(expected.map((r) => [r.iso, r.value]));
    expect(table.rows[0]).toMatchObject({
      timestamp: '2026-11-22T01:50:33+00:00',
      epochMs: Date.UTC(2026, 10, 22, 1, 50, 33),
      values: ['2026-11-22T01:50:33+00:00', 26],
    });
    expect(table.rows[0]!.raw?.[1]).toEqual({ type: 'long-unsigned', value: 26 });
    expect(table.columns).toEqual([
      { name: 'Clock', obis: CLOCK, classId: 8, attributeIndex: 2, dataIndex: 0 },
      { name: 'Active power import (+P) L1, last demand 3, total (channel 1)', obis: REGISTER, classId: 3, attributeIndex: 2, dataIndex: 0 },
    ]);
  });

  it('HDLC trace: the same buffer reassembled from segmented I-frames, scaled with the register scaler_unit', () => {
    const trace = loadTrace('hdlc-public-noauth.json');
    const apdus = hdlcApdus(trace);
    const scalerUnits = new Map<string, ScalerUnit>([[obisKey(REGISTER), { scaler: -2, unit: 30 }]]);
    const table = profileRows(TRACE_CAPTURE, decodeDataBytes(datablockPayload(apdus, 0xc4)), { scalerUnits });
    const expected = expectedRows(trace.results['profile_buffer_all_rows']);
    expect(table.columns[1]).toMatchObject({ unit: 'Wh', scaler: -2 });
    expect(table.rows.map((r) => r.values)).toEqual(expected.map((r) => [r.iso, Number(`${r.value}e-2`)]));
    expect(table.rows[0]!.values[1]).toBe(0.26);
    expect(table.rows[12]!.values[1]).toBe(0.98);
  });

  it('HDLC and wrapper traces: the rows read by entry and by date range', () => {
    for (const [file, apdus] of [
      ['hdlc-public-noauth.json', hdlcApdus(loadTrace('hdlc-public-noauth.json'))],
      ['wrapper-low-auth.json', wrapperApdus(loadTrace('wrapper-low-auth.json'))],
    ] as const) {
      const trace = loadTrace(file);
      const byEntry = profileRows(TRACE_CAPTURE, decodeDataBytes(normalResponseData(apdus, 0xc5)));
      const byEntryResult = trace.results['profile_by_entry'] as { rows: unknown };
      expect(
        byEntry.rows.map((r) => r.values),
        file,
      ).toEqual(expectedRows(byEntryResult.rows).map((r) => [r.iso, r.value]));
      const byRange = profileRows(TRACE_CAPTURE, decodeDataBytes(normalResponseData(apdus, 0xc6)));
      const byRangeResult = trace.results['profile_by_range'] as { rows: unknown };
      expect(
        byRange.rows.map((r) => r.timestamp),
        file,
      ).toEqual(expectedRows(byRangeResult.rows).map((r) => r.iso));
    }
  });
});

function clockCell(ms: number, deviation = 0): DlmsValue {
  return { type: 'octet-string', value: dateTimeToBytes(dateTimeFromEpochMs(ms, deviation)) };
}

describe('profileRows', () => {
  const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
  const capture: CaptureObject[] = [
    { classId: 8, logicalName: CLOCK, attributeIndex: 2, dataIndex: 0 },
    { classId: 3, logicalName: parseObis('1-0:1.8.0.255'), attributeIndex: 2, dataIndex: 0 },
    { classId: 1, logicalName: parseObis('0-0:96.10.1.255'), attributeIndex: 2, dataIndex: 0 },
  ];
  const row = (...cells: DlmsValue[]): DlmsValue => ({ type: 'structure', items: cells });
  const nul: DlmsValue = { type: 'null-data' };
  const u32 = (value: number): DlmsValue => ({ type: 'double-long-unsigned', value });

  it('fills compressed (null-data) timestamps from the previous one plus the capture period', () => {
    const buffer: DlmsValue = {
      type: 'array',
      items: [
        row(clockCell(T0, -60), u32(1000), { type: 'unsigned', value: 0 }),
        row(nul, u32(1010), nul),
        row(nul, u32(1025), { type: 'unsigned', value: 8 }),
        row(clockCell(T0 + 3_600_000, -60), u32(1100), nul),
        row(nul, nul, nul),
      ],
    };
    const table = profileRows(capture, buffer, {
      capturePeriodSeconds: 900,
      scalerUnits: new Map([[obisKey(parseObis('1-0:1.8.0.255')), { scaler: 1, unit: 30 }]]),
    });
    expect(table.rows.map((r) => r.timestamp)).toEqual([
      '2026-11-22T01:00:00+01:00',
      '2026-11-22T01:15:00+01:00',
      '2026-11-22T01:30:00+01:00',
      '2026-11-22T02:00:00+01:00',
      '2026-11-22T02:15:00+01:00',
    ]);
    expect(table.rows.map((r) => r.epochMs)).toEqual([T0, T0 + 900_000, T0 + 1_800_000, T0 + 3_600_000, T0 + 4_500_000]);
    expect(table.rows.map((r) => r.values.slice(1))).toEqual([
      [10000, 0],
      [10100, null],
      [10250, 8],
      [11000, null],
      [null, null],
    ]);
    expect(table.columns.map((c) => c.name)).toEqual(['Clock', 'Active energy import (+A), total', '0-0:96.10.1.255']);
    expect(table.columns[1]).toMatchObject({ unit: 'Wh', scaler: 1 });
    expect(table.columns[2]!.unit).toBeUndefined();
  });

  it('cannot fill a timestamp without a capture period or a first time', () => {
    const buffer: DlmsValue = { type: 'array', items: [row(nul, u32(1), nul), row(clockCell(T0), u32(2), nul), row(nul, u32(3), nul)] };
    const table = profileRows(capture, buffer);
    expect(table.rows.map((r) => r.timestamp)).toEqual([null, '2026-11-22T00:00:00+00:00', null]);
    expect(table.rows.map((r) => r.values[0])).toEqual([null, '2026-11-22T00:00:00+00:00', null]);
  });

  it('keeps local time when the meter does not give the deviation', () => {
    const buffer: DlmsValue = {
      type: 'array',
      items: [row(clockCell(T0, DEVIATION_NOT_SPECIFIED), u32(1), nul), row(nul, u32(2), nul)],
    };
    const table = profileRows(capture, buffer, { capturePeriodSeconds: 60 });
    expect(table.rows.map((r) => [r.timestamp, r.epochMs])).toEqual([
      ['2026-11-22T00:00:00', null],
      ['2026-11-22T00:01:00', null],
    ]);
  });

  it('shows a clock it cannot read as text and stops filling after it', () => {
    const wildcard: DlmsValue = { type: 'octet-string', value: fromHex('ffffffffffffffffff800000') };
    const buffer: DlmsValue = { type: 'array', items: [row(clockCell(T0), u32(1), nul), row(wildcard, u32(2), nul), row(nul, u32(3), nul)] };
    const table = profileRows(capture, buffer, { capturePeriodSeconds: 60 });
    expect(table.rows.map((r) => r.timestamp)).toEqual(['2026-11-22T00:00:00+00:00', null, null]);
    expect(table.rows[1]!.values[0]).toBe('datetime ****-**-** **:**:** local');
  });

  it('names columns from the user, the dictionary or the OBIS code, with the attribute when not 2', () => {
    const cols: CaptureObject[] = [
      { classId: 5, logicalName: parseObis('1-0:1.4.0.255'), attributeIndex: 3, dataIndex: 0 },
      { classId: 4, logicalName: parseObis('1-0:1.6.0.255'), attributeIndex: 5, dataIndex: 0 },
      { classId: 1, logicalName: parseObis('0-0:96.240.1.255'), attributeIndex: 2, dataIndex: 2 },
      { classId: 3, logicalName: parseObis('1-0:32.7.0.255'), attributeIndex: 2, dataIndex: 0 },
    ];
    const table = profileRows(
      cols,
      { type: 'array', items: [] },
      {
        names: new Map([[obisKey(parseObis('1-0:32.7.0.255')), 'U1']]),
        scalerUnits: new Map([
          [obisKey(parseObis('1-0:1.4.0.255')), { scaler: -3, unit: 27 }],
          [obisKey(parseObis('1-0:1.6.0.255')), { scaler: -3, unit: 27 }],
        ]),
      },
    );
    expect(table.columns.map((c) => c.name)).toEqual([
      'Active power import (+P), current demand, total (last_average_value)',
      'Active power import (+P), maximum demand, total (capture_time)',
      '0-0:96.240.1.255 [2]',
      'U1',
    ]);
    // The demand register's last average is scaled; the extended register's capture_time is not.
    expect(table.columns[0]).toMatchObject({ unit: 'W', scaler: -3 });
    expect(table.columns[1]!.scaler).toBeUndefined();
    expect(table.rows).toEqual([]);
  });

  it('renders other cell types', () => {
    const cols: CaptureObject[] = Array.from({ length: 7 }, (_, i) => ({
      classId: 1,
      logicalName: parseObis(`0-0:96.240.${i}.255`),
      attributeIndex: 2,
      dataIndex: 0,
    }));
    const buffer: DlmsValue = {
      type: 'array',
      items: [
        row(
          { type: 'long64-unsigned', value: 2n ** 64n - 1n },
          { type: 'long64', value: -5n },
          { type: 'enum', value: 3 },
          { type: 'boolean', value: true },
          { type: 'visible-string', value: 'ABC' },
          clockCell(T0),
          {
            type: 'structure',
            items: [
              { type: 'integer', value: -2 },
              { type: 'enum', value: 30 },
            ],
          },
        ),
      ],
    };
    expect(profileRows(cols, buffer).rows[0]!.values).toEqual(['18446744073709551615', -5, 3, 'true', 'ABC', '2026-11-22T00:00:00+00:00', '{-2, enum 30}']);
    expect(profileRows(cols, buffer, { omitRaw: true }).rows[0]!.raw).toBeUndefined();
  });

  it('refuses a buffer that does not fit the capture objects', () => {
    expect(() => profileRows(capture, { type: 'structure', items: [] })).toThrow('buffer: expected array of entries, got structure of 0');
    expect(() => profileRows(capture, { type: 'array', items: [row(nul, nul)] })).toThrow(
      'buffer[0]: expected structure of 3 captured values, got structure of 2',
    );
    expect(() => profileRows(capture, { type: 'array', items: [] }, { capturePeriodSeconds: -1 })).toThrow(InputError);
  });

  it('decodes and tabulates a 10,000 × 6 compressed profile quickly', () => {
    const cols: CaptureObject[] = [
      { classId: 8, logicalName: CLOCK, attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: parseObis('1-0:1.8.0.255'), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: parseObis('1-0:2.8.0.255'), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: parseObis('1-0:32.7.0.255'), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: parseObis('1-0:31.7.0.255'), attributeIndex: 2, dataIndex: 0 },
      { classId: 1, logicalName: parseObis('0-0:96.10.1.255'), attributeIndex: 2, dataIndex: 0 },
    ];
    const scalerUnits = new Map<string, ScalerUnit>([
      [obisKey(parseObis('1-0:1.8.0.255')), { scaler: -3, unit: 30 }],
      [obisKey(parseObis('1-0:2.8.0.255')), { scaler: -3, unit: 30 }],
      [obisKey(parseObis('1-0:32.7.0.255')), { scaler: -1, unit: 35 }],
      [obisKey(parseObis('1-0:31.7.0.255')), { scaler: -2, unit: 33 }],
    ]);
    const rows = 10_000;
    const items: DlmsValue[] = [];
    for (let i = 0; i < rows; i++) {
      items.push(
        row(
          i % 96 === 0 ? clockCell(T0 + i * 900_000, -60) : nul,
          u32(1_000_000 + i * 7),
          u32(i * 3),
          { type: 'long-unsigned', value: 2300 + (i % 17) },
          { type: 'double-long', value: 1000 + (i % 31) },
          { type: 'unsigned', value: i % 4 },
        ),
      );
    }
    const bytes = encodeDataBytes({ type: 'array', items });

    // Timing is logged, not asserted: this machine is shared. The first run includes JIT warm-up.
    const times: string[] = [];
    const totals: number[] = [];
    let table = profileRows(cols, { type: 'array', items: [] });
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const decoded = decodeDataBytes(bytes);
      const decodedAt = performance.now();
      table = profileRows(cols, decoded, { scalerUnits, capturePeriodSeconds: 900 });
      const done = performance.now();
      times.push(`${(done - started).toFixed(1)} (${(decodedAt - started).toFixed(1)} + ${(done - decodedAt).toFixed(1)})`);
      totals.push(done - started);
    }
    console.log(
      `profile: decode + profileRows of ${rows} x 6 (${bytes.length} bytes): best ${Math.min(...totals).toFixed(1)} ms; ` +
        `runs in ms (decode + rows): ${times.join(', ')}`,
    );

    expect(table.rows).toHaveLength(rows);
    const last = table.rows[rows - 1]!;
    expect(last.epochMs).toBe(T0 + (rows - 1) * 900_000);
    expect(last.timestamp).toBe('2027-03-06T04:45:00+01:00');
    expect(last.values).toEqual(['2027-03-06T04:45:00+01:00', 1069.993, 29.997, 230.3, 10.17, 3]);
    expect(table.rows[5000]!.values[1]).toBe(1_035);
  });
});

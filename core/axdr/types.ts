/**
 * DLMS data (IEC 62056-6-2 "Data" CHOICE) as a typed union. Every variant keeps what is needed to
 * re-encode it byte for byte, so decode(encode(v)) deep-equals v and encode(decode(b)) equals b.
 */

/** Date fields as they travel; 0xFF / 0xFFFF mean "not specified". Month 0xFD/0xFE and day
 * 0xFD/0xFE are the DST-end/-begin and last/second-last-day markers. */
export interface DlmsDate {
  readonly year: number;
  readonly month: number;
  readonly dayOfMonth: number;
  /** 1 = Monday ... 7 = Sunday, 0xFF not specified. */
  readonly dayOfWeek: number;
}

export interface DlmsTime {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly hundredths: number;
}

export interface DlmsDateTime extends DlmsDate, DlmsTime {
  /**
   * Minutes from local time to UTC (UTC = local + deviation), -720..720;
   * DEVIATION_NOT_SPECIFIED (-32768, 0x8000 on the wire) when absent.
   */
  readonly deviation: number;
  /** Clock status bits (invalid, doubtful, different base, invalid status, daylight saving active);
   * 0xFF not specified. */
  readonly clockStatus: number;
}

export const NOT_SPECIFIED = 0xff;
export const YEAR_NOT_SPECIFIED = 0xffff;
export const DEVIATION_NOT_SPECIFIED = -0x8000;

/** The data type tags of the Data CHOICE. */
export const DataTag = {
  'null-data': 0,
  array: 1,
  structure: 2,
  boolean: 3,
  'bit-string': 4,
  'double-long': 5,
  'double-long-unsigned': 6,
  'octet-string': 9,
  'visible-string': 10,
  'utf8-string': 12,
  bcd: 13,
  integer: 15,
  long: 16,
  unsigned: 17,
  'long-unsigned': 18,
  'compact-array': 19,
  long64: 20,
  'long64-unsigned': 21,
  enum: 22,
  float32: 23,
  float64: 24,
  'date-time': 25,
  date: 26,
  time: 27,
  'dont-care': 255,
} as const;

export type DataTypeName = keyof typeof DataTag;

export type DlmsValue =
  | { readonly type: 'null-data' }
  | { readonly type: 'array'; readonly items: readonly DlmsValue[] }
  | { readonly type: 'structure'; readonly items: readonly DlmsValue[] }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** Bits as '0'/'1' characters, first bit first (MSB of the first octet). */
  | { readonly type: 'bit-string'; readonly value: string }
  | { readonly type: 'double-long'; readonly value: number }
  | { readonly type: 'double-long-unsigned'; readonly value: number }
  | { readonly type: 'octet-string'; readonly value: Uint8Array }
  | { readonly type: 'visible-string'; readonly value: string }
  | { readonly type: 'utf8-string'; readonly value: string }
  /** One octet; kept raw (two BCD digits). */
  | { readonly type: 'bcd'; readonly value: number }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: number }
  | { readonly type: 'unsigned'; readonly value: number }
  | { readonly type: 'long-unsigned'; readonly value: number }
  | {
      readonly type: 'compact-array';
      readonly description: TypeDescription;
      readonly items: readonly DlmsValue[];
    }
  | { readonly type: 'long64'; readonly value: bigint }
  | { readonly type: 'long64-unsigned'; readonly value: bigint }
  | { readonly type: 'enum'; readonly value: number }
  | { readonly type: 'float32'; readonly value: number }
  | { readonly type: 'float64'; readonly value: number }
  | { readonly type: 'date-time'; readonly value: DlmsDateTime }
  | { readonly type: 'date'; readonly value: DlmsDate }
  | { readonly type: 'time'; readonly value: DlmsTime }
  | { readonly type: 'dont-care' };

export type DlmsValueOf<T extends DataTypeName> = Extract<DlmsValue, { type: T }>;

/** The TypeDescription of a compact-array's elements. */
export type TypeDescription =
  | { readonly type: 'array'; readonly count: number; readonly element: TypeDescription }
  | { readonly type: 'structure'; readonly elements: readonly TypeDescription[] }
  | { readonly type: Exclude<DataTypeName, 'array' | 'structure' | 'compact-array'> };

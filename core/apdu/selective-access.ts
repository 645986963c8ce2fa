/**
 * Selective access parameters for a profile generic buffer (class 7, attribute 2):
 * range_descriptor (selector 1: rows whose restricting object, normally the clock, lies between
 * `from` and `to`) and entry_descriptor (selector 2: rows `fromEntry`..`toEntry`, 1-based).
 */
import { ByteWriter } from '../bytes.js';
import { writeDateTime } from '../axdr/codec.js';
import type { DlmsDateTime, DlmsValue } from '../axdr/types.js';
import type { AccessSelection } from './types.js';
import { checkInteger8, checkObis, checkUnsigned } from './xdlms-fields.js';

export const SELECTOR_RANGE = 1;
export const SELECTOR_ENTRY = 2;

/** One column of a profile: a capture object definition {class_id, logical_name, attribute_index, data_index}. */
export interface CaptureObjectRef {
  readonly classId: number;
  /** 6-byte OBIS code. */
  readonly logicalName: Uint8Array;
  readonly attributeIndex: number;
  /** 0 = the whole attribute. */
  readonly dataIndex: number;
}

export interface RangeDescriptorInput {
  /** The column the range applies to, normally the clock 0-0:1.0.0.255 attribute 2. */
  readonly restrictingObject: CaptureObjectRef;
  readonly from: DlmsDateTime;
  readonly to: DlmsDateTime;
  /** Columns to return; empty = all columns. */
  readonly selectedValues?: readonly CaptureObjectRef[];
}

export interface EntryDescriptorInput {
  /** First row, 1-based. */
  readonly fromEntry: number;
  /** Last row; 0 = up to the newest (some meters return nothing then: give the explicit last entry). */
  readonly toEntry: number;
  /** First column, 1-based. Default 1. */
  readonly fromSelectedValue?: number;
  /** Last column; 0 = up to the last. Default 0. */
  readonly toSelectedValue?: number;
}

export function captureObjectValue(c: CaptureObjectRef, field = 'captureObject'): DlmsValue {
  return {
    type: 'structure',
    items: [
      { type: 'long-unsigned', value: checkUnsigned(`${field}.classId`, c.classId, 16) },
      { type: 'octet-string', value: checkObis(`${field}.logicalName`, c.logicalName) },
      { type: 'integer', value: checkInteger8(`${field}.attributeIndex`, c.attributeIndex) },
      { type: 'long-unsigned', value: checkUnsigned(`${field}.dataIndex`, c.dataIndex, 16) },
    ],
  };
}

/** A date-time as it travels in selective access: octet-string(12). */
export function dateTimeOctets(dt: DlmsDateTime): DlmsValue {
  const w = new ByteWriter(12);
  writeDateTime(w, dt);
  return { type: 'octet-string', value: w.finish() };
}

/** range_descriptor parameters (selector 1). */
export function rangeDescriptor(input: RangeDescriptorInput): DlmsValue {
  const selected = input.selectedValues ?? [];
  return {
    type: 'structure',
    items: [
      captureObjectValue(input.restrictingObject, 'restrictingObject'),
      dateTimeOctets(input.from),
      dateTimeOctets(input.to),
      { type: 'array', items: selected.map((c, i) => captureObjectValue(c, `selectedValues[${i}]`)) },
    ],
  };
}

/** entry_descriptor parameters (selector 2). */
export function entryDescriptor(input: EntryDescriptorInput): DlmsValue {
  return {
    type: 'structure',
    items: [
      { type: 'double-long-unsigned', value: checkUnsigned('fromEntry', input.fromEntry, 32) },
      { type: 'double-long-unsigned', value: checkUnsigned('toEntry', input.toEntry, 32) },
      { type: 'long-unsigned', value: checkUnsigned('fromSelectedValue', input.fromSelectedValue ?? 1, 16) },
      { type: 'long-unsigned', value: checkUnsigned('toSelectedValue', input.toSelectedValue ?? 0, 16) },
    ],
  };
}

/** The access selection for reading rows by time range. */
export function byRange(input: RangeDescriptorInput): AccessSelection {
  return { selector: SELECTOR_RANGE, parameters: rangeDescriptor(input) };
}

/** The access selection for reading rows by entry number. */
export function byEntry(input: EntryDescriptorInput): AccessSelection {
  return { selector: SELECTOR_ENTRY, parameters: entryDescriptor(input) };
}

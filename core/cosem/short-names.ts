/**
 * Short-name (SN) addressing: attribute n of an object sits at base name + 8 x (n - 1); its methods
 * start at a class-specific offset (Blue Book SN tables) and also step by 8. Methods are invoked with a
 * READ of that address (parameters in parameterized access), which is how meters and the common stacks
 * do it; reply_to_HLS_authentication of the Association SN (0xFA00) is method 8, at 0xFA58.
 */
import { findCosemClass } from './classes.js';

/** Offset of method 1 from the base name, per class; classes not listed follow their last attribute. */
const SN_METHOD_OFFSET: ReadonlyMap<number, number> = new Map([
  [3, 0x28],
  [4, 0x38],
  [5, 0x48],
  [6, 0x30],
  [7, 0x58],
  [8, 0x60],
  [9, 0x20],
  [11, 0x10],
  [12, 0x20],
  [17, 0x20],
  [18, 0x40],
  [20, 0x50],
  [70, 0x20],
]);

export function shortNameOfAttribute(baseName: number, attributeId: number): number {
  return (baseName + (attributeId - 1) * 8) & 0xffff;
}

/** `attributeCount` is the number of attributes the object has in its class version. */
export function snMethodOffset(classId: number, attributeCount: number): number {
  return SN_METHOD_OFFSET.get(classId) ?? attributeCount * 8;
}

/** The number of attributes of a class at a given version, from the class table. */
export function attributeCountAt(classId: number, version: number): number {
  const cls = findCosemClass(classId);
  return cls === undefined ? 0 : cls.attributes.filter((a) => (a.sinceVersion ?? 0) <= version).length;
}

export function shortNameOfMethod(baseName: number, classId: number, version: number, methodId: number): number {
  return (baseName + snMethodOffset(classId, attributeCountAt(classId, version)) + (methodId - 1) * 8) & 0xffff;
}

/** The Association SN object and its reply_to_HLS_authentication method. */
export const ASSOCIATION_SN_BASE_NAME = 0xfa00;
export const REPLY_TO_HLS_SN = ASSOCIATION_SN_BASE_NAME + 0x20 + 7 * 8;

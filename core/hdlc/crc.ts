/**
 * CRC-16/X.25, the HCS and FCS of IEC 62056-46 (ISO/IEC 13239): reflected polynomial 0x8408,
 * initial value 0xFFFF, final complement. On the wire the result goes least significant byte first.
 */

const TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/X.25 of `bytes[start..end)`, without copying the range. */
export function crc16x25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return (crc ^ 0xffff) & 0xffff;
}

/** Write the CRC of `bytes[start..at)` at `at`, low byte first, as HDLC transmits it. */
export function writeCrc(bytes: Uint8Array, start: number, at: number): void {
  const crc = crc16x25(bytes, start, at);
  bytes[at] = crc & 0xff;
  bytes[at + 1] = crc >>> 8;
}

/** True when the two bytes at `at` hold the CRC of `bytes[start..at)`. */
export function checkCrc(bytes: Uint8Array, start: number, at: number): boolean {
  const crc = crc16x25(bytes, start, at);
  return bytes[at] === (crc & 0xff) && bytes[at + 1] === crc >>> 8;
}

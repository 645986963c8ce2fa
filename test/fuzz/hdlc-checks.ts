/**
 * Recompute the HCS and FCS of every HDLC frame in a mutated stream. Most mutations break the
 * checksums, and a frame that fails its CRC never reaches the address, control and information
 * decoders; with the checks repaired it does, as a frame damaged before its CRC was computed would.
 */
import { writeCrc } from '../../core/hdlc/crc.js';

/** A copy of `stream` with the checks of each length-delimited frame made to match. */
export function repairHdlcChecks(stream: Uint8Array): Uint8Array {
  const s = stream.slice();
  const n = s.length;
  let i = 0;
  while (i + 2 < n) {
    if (s[i] !== 0x7e || (s[i + 1]! & 0xf0) !== 0xa0) {
      i++;
      continue;
    }
    const length = ((s[i + 1]! & 0x07) << 8) | s[i + 2]!;
    const fcsAt = i + length - 1;
    if (length < 7 || fcsAt + 2 > n) {
      i++;
      continue;
    }
    let p = i + 3;
    // Destination and source addresses end at a byte with bit 0 set (at most 4 bytes each).
    for (let a = 0; a < 2 && p < fcsAt; a++) {
      let k = 0;
      while (p < fcsAt && k < 4 && (s[p]! & 1) === 0) {
        p++;
        k++;
      }
      p++;
    }
    const hcsAt = p + 1;
    if (hcsAt + 2 <= fcsAt) writeCrc(s, i + 1, hcsAt);
    writeCrc(s, i + 1, fcsAt);
    i += length + 1;
  }
  return s;
}

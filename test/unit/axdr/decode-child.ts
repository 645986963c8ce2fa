/**
 * Runs decodeDataBytes in a child process so that a test can put a time limit on it: a decoder
 * that loops forever would otherwise hang the test runner itself.
 * Arguments: hex strings. Prints one JSON line per input: {outcome, code?, offset?, message?}.
 */
import { fromHex } from '../../../core/bytes.js';
import { decodeDataBytes } from '../../../core/axdr/codec.js';
import { DecodeError } from '../../../core/errors.js';

for (const hex of process.argv.slice(2)) {
  try {
    const v = decodeDataBytes(fromHex(hex));
    console.log(JSON.stringify({ outcome: 'ok', type: v.type }));
  } catch (e) {
    if (e instanceof DecodeError) console.log(JSON.stringify({ outcome: 'DecodeError', code: e.code, offset: e.offset, message: e.message }));
    else console.log(JSON.stringify({ outcome: 'other', message: String(e) }));
  }
}

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { MAX_DEPTH, decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import { DecodeError } from '../../../core/errors.js';
import { randomValue } from './generate.js';
import { Prng } from './prng.js';

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeDataBytes(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw new Error(`${toHex(bytes)}: expected a DecodeError, got ${String(e)}`);
  }
  throw new Error(`${toHex(bytes)}: decoded although it is malformed`);
}

describe('malformed A-XDR is always a DecodeError with an offset', () => {
  it.each([
    ['empty input', '', 'truncated', 0],
    ['truncated double-long-unsigned', '06000000', 'truncated', 1],
    ['truncated long64', '1400000000000000', 'truncated', 1],
    ['truncated date-time', '1907ea0b16070133', 'truncated', 1],
    ['octet-string claims 5, has 2', '09050102', 'length-beyond-data', 1],
    ['visible-string claims 3, has 0', '0a03', 'length-beyond-data', 1],
    ['structure claims 5 items in 2 bytes', '02050f01', 'length-beyond-data', 1],
    ['structure claims 3 items, has 1', '02030f01', 'truncated', 4],
    ['structure element truncated', '0202 0f01 06', 'truncated', 5],
    ['bit-string claims 9 bits in 1 byte', '0409ff', 'truncated', 2],
    ['bit-string claims 17 bits in 1 byte', '0411ff', 'length-beyond-data', 1],
    ['4 GB octet-string', '0984ffffffff', 'length-beyond-data', 1],
    ['4 GB array', '0184ffffffff00', 'length-beyond-data', 1],
    ['4 GB visible-string', '0a84ffffffff41', 'length-beyond-data', 1],
    ['4 GB utf8-string', '0c84ffffffff', 'length-beyond-data', 1],
    ['4 GB bit-string', '0484ffffffff', 'length-beyond-data', 1],
    ['4 GB compact-array body', '131184ffffffff', 'length-beyond-data', 2],
    ['five length bytes', '09850100000000', 'bad-length', 1],
    ['zero length bytes', '0980', 'bad-length', 1],
    ['length bytes missing', '098201', 'truncated', 3],
    ['unknown tag 7', '07', 'unknown-tag', 0],
    ['unknown tag 8', '0800', 'unknown-tag', 0],
    ['unknown tag 11', '0b', 'unknown-tag', 0],
    ['unknown tag 14', '0e', 'unknown-tag', 0],
    ['unknown tag 28', '1c', 'unknown-tag', 0],
    ['unknown tag 254', 'fe', 'unknown-tag', 0],
    ['unknown tag inside a structure', '0202 1100 07', 'unknown-tag', 4],
    ['compact-array inside a compact-array description', '1313', 'unknown-tag', 1],
    ['compact-array description tag unknown', '1320', 'unknown-tag', 1],
    ['compact-array element truncated', '13 12 03 000102', 'truncated', 5],
    ['compact-array array claims more than remain', '13 01 0005 11 02 0102', 'length-beyond-data', 6],
    ['invalid UTF-8', '0c02c328', 'bad-utf8', 1],
    ['trailing bytes', '1100ff', 'trailing-bytes', 2],
  ])('%s', (_what, hex, code, offset) => {
    const e = decodeError(fromHex(hex.replace(/ /g, '')));
    expect(e.code).toBe(code);
    expect(e.offset).toBe(offset);
    expect(e.message).toMatch(/\(at byte \d+\)$/);
  });

  it('refuses nesting bombs at the depth limit', () => {
    for (const unit of ['0101', '0201', '0181 01'.replace(/ /g, '')]) {
      const bytes = fromHex(unit.repeat(5000));
      const e = decodeError(bytes);
      expect(e.code).toBe('too-deep');
      expect(e.offset).toBe(MAX_DEPTH * (unit.length / 2));
    }
    // A type description nested the same way.
    const description = fromHex(`13${'010001'.repeat(5000)}11`);
    expect(decodeError(description).code).toBe('too-deep');
  });

  it('accepts nesting up to the limit', () => {
    const bytes = fromHex(`${'0101'.repeat(MAX_DEPTH)}00`);
    expect(decodeDataBytes(bytes).type).toBe('array');
  });

  it('every truncation of valid encodings fails with a DecodeError inside the input (seeded)', () => {
    const rng = new Prng(404);
    let checked = 0;
    while (checked < 300) {
      const v = randomValue(rng);
      const bytes = encodeDataBytes(v);
      if (bytes.length < 2) continue;
      checked++;
      const cut = rng.int(0, bytes.length - 1);
      const e = decodeError(bytes.subarray(0, cut));
      expect(e.offset, `seed 404: ${toHex(bytes)} cut at ${cut}`).toBeLessThanOrEqual(cut);
      expect(e.offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('mutated encodings decode or fail with a DecodeError, never another exception (seeded)', () => {
    const rng = new Prng(0xbad);
    let checked = 0;
    while (checked < 3000) {
      const bytes = encodeDataBytes(randomValue(rng));
      // Keep compact-arrays out of this in-process run: see the child-process test below.
      if (bytes.includes(0x13)) continue;
      checked++;
      const mutated = bytes.slice();
      const edits = rng.int(1, 4);
      for (let k = 0; k < edits; k++) {
        let b = rng.pick([0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, rng.int(0, 255)]);
        if (b === 0x13) b = 0x12;
        mutated[rng.int(0, mutated.length - 1)] = b;
      }
      try {
        decodeDataBytes(mutated);
      } catch (e) {
        expect(e, `seed 0xbad step ${checked}: ${toHex(mutated)}`).toBeInstanceOf(DecodeError);
        expect((e as DecodeError).offset).toBeGreaterThanOrEqual(0);
        expect((e as DecodeError).offset).toBeLessThanOrEqual(mutated.length);
      }
    }
  });
});

describe('compact-arrays whose elements take no bytes (run in a child process with a time limit)', () => {
  // A description of null-data, dont-care, an empty structure or an array of those takes zero
  // bytes per element, so a decoder that reads elements "until the body ends" never advances.
  const child = join(import.meta.dirname, 'decode-child.ts');
  const cases = [
    '13000100', // null-data elements, body of 1 byte
    '13ff0100', // dont-care elements
    '1302000100', // structure {} elements
    '130100ff000100', // array of 255 null-data
    '13010001020000', // array[1] of structure {}... body 0 bytes claims 0: decodes empty
  ];

  it('either decodes or refuses with a DecodeError, within the time limit', () => {
    // A small heap and a time limit, so a looping decoder ends quickly and spares the machine.
    const run = spawnSync(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', child, ...cases], {
      encoding: 'utf8',
      timeout: 10_000,
      cwd: join(import.meta.dirname, '..', '..', '..'),
    });
    const ended = run.error === undefined && run.signal === null && run.status === 0;
    expect(ended, 'decodeDataBytes did not return (timed out or ran out of memory): it loops on zero-size elements').toBe(true);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; code?: string });
    expect(results).toHaveLength(cases.length);
    for (const r of results) expect(['ok', 'DecodeError']).toContain(r.outcome);
    // A non-empty body of zero-size elements cannot be what it claims.
    for (const r of results.slice(0, 4)) expect(r.outcome).toBe('DecodeError');
  });
});

/**
 * The wrapper has no sequence numbers: a message repeated on the way (a gateway that sends twice)
 * reaches the client as it is. Found by the faulted sessions: a repeated AARE failed the next GET,
 * and a repeated data block failed a block transfer. A repeat is not an answer: the client ignores
 * it (with a warning) and the values are right.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../core/bytes.js';
import type { DlmsError } from '../../../core/errors.js';
import { attr, connect } from '../integration/support.js';

const OBJECT_LIST = attr(15, '0-0:40.0.0.255', 2);
const ENERGY = attr(3, '1-0:1.8.0.255', 2);

/** Every answer from the meter whose APDU tag is `tag` comes again, just before the meter's next answer. */
function twice(tag: number) {
  let held: Uint8Array | null = null;
  return (dir: 'to-meter' | 'from-meter', _i: number, bytes: Uint8Array): Uint8Array => {
    if (dir !== 'from-meter') return bytes;
    const out = held === null ? bytes : concatBytes([held, bytes]);
    held = bytes[8] === tag ? bytes : null;
    return out;
  };
}

describe('repeated answers over the wrapper', () => {
  it('a repeated AARE does not answer the first GET', async () => {
    const warnings: DlmsError[] = [];
    const clean = connect({ transport: 'wrapper' });
    await clean.client.open();
    const expected = await clean.client.get(ENERGY);

    const { client } = connect({ transport: 'wrapper', wire: { rewrite: twice(0x61) }, session: { onWarning: (e) => warnings.push(e) } });
    await client.open();
    expect(await client.get(ENERGY)).toEqual(expected);
    await client.release();
    expect(warnings.map((w) => w.code)).toEqual(['stale-answer']);
  });

  it('a repeated data block is not taken twice, and a repeated GET answer does not answer the release', async () => {
    const clean = connect({ transport: 'wrapper', meter: { maxPduSize: 256 } });
    await clean.client.open();
    const expected = await clean.client.get(OBJECT_LIST);

    const warnings: DlmsError[] = [];
    // 0xC4: GET.response; every one comes twice, the blocks of the object list and the last answer too.
    const { client } = connect({
      transport: 'wrapper',
      meter: { maxPduSize: 256 },
      wire: { rewrite: twice(0xc4) },
      session: { onWarning: (e) => warnings.push(e) },
    });
    await client.open();
    expect(await client.get(OBJECT_LIST)).toEqual(expected);
    await client.release();
    expect(warnings.some((w) => w.code === 'stale-answer')).toBe(true);
  });
});

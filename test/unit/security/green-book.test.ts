/**
 * The DLMS UA Green Book examples (DLMS UA 1000-2, "Cryptographic protection" and "HLS
 * authentication" worked examples): the glo-get-request of the clock in all three protections, and
 * HLS mechanism 5 (GMAC) both passes.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { cipherApdu, decipherApdu } from '../../../core/security/ciphered-apdu.js';
import { hlsResponse, verifyHlsResponse } from '../../../core/security/hls.js';
import { protect, unprotect } from '../../../core/security/suite0.js';
import type { SecurityPolicy } from '../../../core/security/suite0.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';

const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const KEYS = { blockCipherKey: EK, authenticationKey: AK };
const TITLE = fromHex('4D4D4D0000BC614E');
const IC = 0x01234567;
const GET_CLOCK = fromHex('C0010000080000010000FF0200');

const EXAMPLES: ReadonlyArray<{ policy: SecurityPolicy; content: string; apdu: string }> = [
  {
    policy: 'authentication',
    content: '1001234567C0010000080000010000FF020006725D910F9221D263877516',
    apdu: 'C81E1001234567C0010000080000010000FF020006725D910F9221D263877516',
  },
  {
    policy: 'encryption',
    content: '2001234567411312FF935A47566827C467BC',
    apdu: 'C8122001234567411312FF935A47566827C467BC',
  },
  {
    policy: 'authenticated-encryption',
    content: '3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B',
    apdu: 'C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B',
  },
];

describe('Green Book glo-get-request example (EK 00..0F, AK D0..DF, title 4D4D4D0000BC614E, IC 01234567)', () => {
  it.each(EXAMPLES)('$policy: protect gives the published content', ({ policy, content }) => {
    const out = protect(nodeCrypto, { policy, systemTitle: TITLE, invocationCounter: IC, key: EK, authenticationKey: AK }, GET_CLOCK);
    expect(toHex(out).toUpperCase()).toBe(content);
  });

  it.each(EXAMPLES)('$policy: unprotect gives the plaintext back', ({ policy, content }) => {
    const u = unprotect(nodeCrypto, { systemTitle: TITLE, key: EK, authenticationKey: AK }, fromHex(content));
    expect(u.policy).toBe(policy);
    expect(u.invocationCounter).toBe(IC);
    expect(u.securityControl).toBe(fromHex(content)[0]);
    expect(toHex(u.plaintext)).toBe(toHex(GET_CLOCK));
  });

  it.each(EXAMPLES)('$policy: glo-get-request APDU both ways', ({ policy, apdu }) => {
    const out = cipherApdu(nodeCrypto, { mode: 'glo', policy, systemTitle: TITLE, invocationCounter: IC, key: EK, authenticationKey: AK }, GET_CLOCK);
    expect(toHex(out).toUpperCase()).toBe(apdu);
    const d = decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: TITLE }, fromHex(apdu));
    expect(d.mode).toBe('glo');
    expect(d.policy).toBe(policy);
    expect(toHex(d.plainApdu)).toBe(toHex(GET_CLOCK));
  });

  it('the ciphertext is the published keystream XOR the APDU (first block 811212FF9B5A475768273B65BC)', () => {
    const iv = fromHex('4D4D4D0000BC614E01234567');
    const keystream = nodeCrypto.aesGcmDecryptUnverified(EK, iv, new Uint8Array(13));
    expect(toHex(keystream).toUpperCase()).toBe('811212FF9B5A475768273B65BC');
  });
});

describe('Green Book HLS mechanism 5 (GMAC) example', () => {
  const clientTitle = fromHex('4D4D4D0000000001');
  const serverTitle = fromHex('4D4D4D0000BC614E');
  const ctos = fromHex('4B35366956616759'); // "K56iVagY"
  const stoc = fromHex('503677524A323146'); // "P6wRJ21F"

  it('pass 3: the client f(StoC) = 10 00000001 1A52FE7DD3E72748973C1E28', () => {
    const p = { mechanism: 'high-gmac' as const, keys: KEYS, systemTitle: clientTitle, invocationCounter: 1 };
    const f = hlsResponse(nodeCrypto, p, 'client', stoc, ctos);
    expect(toHex(f).toUpperCase()).toBe('10000000011A52FE7DD3E72748973C1E28');
    expect(verifyHlsResponse(nodeCrypto, { mechanism: 'high-gmac', keys: KEYS, systemTitle: clientTitle }, 'client', stoc, ctos, f)).toBe(true);
  });

  it('pass 4: the server f(CtoS) = 10 01234567 FE1466AFB3DBCD4F9389E2B7', () => {
    const p = { mechanism: 'high-gmac' as const, keys: KEYS, systemTitle: serverTitle, invocationCounter: 0x01234567 };
    const f = hlsResponse(nodeCrypto, p, 'server', ctos, stoc);
    expect(toHex(f).toUpperCase()).toBe('1001234567FE1466AFB3DBCD4F9389E2B7');
    expect(verifyHlsResponse(nodeCrypto, { mechanism: 'high-gmac', keys: KEYS, systemTitle: serverTitle }, 'server', ctos, stoc, f)).toBe(true);
  });
});

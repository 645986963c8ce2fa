import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { looksLikeXdlmsApdu } from '../../../core/security/apdu-shape.js';
import { prng, randomBytes } from '../../support/random.js';
import { HLS_TRACES, loadHlsTrace } from './trace-ciphered.js';

describe('looksLikeXdlmsApdu (which key is wrong when a tag fails)', () => {
  it.each(HLS_TRACES)('every plaintext of %s looks like an xDLMS APDU', (name) => {
    const plains = loadHlsTrace(name).apdus.flatMap((a) => (a.notePlaintext ? [a.notePlaintext] : []));
    expect(plains.length).toBe(22);
    for (const p of plains) expect(looksLikeXdlmsApdu(p)).toBe(true);
  });

  it.each([
    ['initiate-request with a dedicated key', '0101100001020304050607080900010203040506000000065f1f040060525fffff'],
    ['initiate-request, response-allowed FALSE', '01000101000006'],
    ['initiate-response with quality of service', '080101065f1f040040121d02000007'],
    ['get-request-next', 'c002c500000001'],
    ['set-request-normal', 'c101c1000800000100'],
    ['action-response-normal', 'c701c00000'],
    ['event-notification-request', 'c2000008'],
    ['exception-response', 'd80102'],
    ['confirmed-service-error', '0e010600'],
    ['read-request', '0501020008'],
    ['read-response', '0c010009'],
    ['write-response', '0d0100'],
    ['data-notification', '0f0000000100'],
  ])('%s', (_name, hex) => {
    expect(looksLikeXdlmsApdu(fromHex(hex))).toBe(true);
  });

  it.each(['', 'c0', 'c000', 'c004', '0102', '01010f', '08020600', 'e0c0000100', '60', 'ff01', 'c808'])('%j does not', (hex) => {
    expect(looksLikeXdlmsApdu(fromHex(hex))).toBe(false);
  });

  it("random 16-byte blocks (a wrong key's output) pass less than 1% of the time (seeded)", () => {
    const rand = prng(62056);
    let passed = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (looksLikeXdlmsApdu(randomBytes(rand, 16))) passed++;
    expect(passed / n).toBeLessThan(0.01);
  });
});

/**
 * Every access security level x every transport security policy, over HDLC and the wrapper:
 * association, HLS pass 3/4, a protected GET, release. The client side is the codecs and
 * core/security, not the client session.
 */
import { describe, expect, it } from 'vitest';
import { asciiBytes } from '../../../core/bytes.js';
import { createVirtualMeter, type ClientMechanism } from '../../../core/meter/index.js';
import { decodeUserInformation } from '../../../core/apdu/index.js';
import type { CipheringMode, SecurityPolicy } from '../../../core/security/index.js';
import { SecureClient, seededCrypto } from './secure-client.js';

const MECHANISMS: readonly ClientMechanism[] = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'];
const POLICIES: readonly SecurityPolicy[] = ['none', 'authentication', 'encryption', 'authenticated-encryption'];
const MODES: readonly CipheringMode[] = ['glo', 'general-glo'];
const SC: Readonly<Record<SecurityPolicy, number>> = { none: 0, authentication: 0x10, encryption: 0x20, 'authenticated-encryption': 0x30 };

function secretOf(m: ClientMechanism): Uint8Array | undefined {
  if (m === 'low') return asciiBytes('12345678');
  if (m === 'none' || m === 'high-gmac') return undefined;
  return asciiBytes(m === 'high' ? 'Gurux' : `secret-of-${m}`);
}

describe('every mechanism x every policy x both transports', () => {
  let n = 0;
  for (const transport of ['hdlc', 'wrapper'] as const) {
    for (const mechanism of MECHANISMS) {
      for (const policy of POLICIES) {
        const seed = ++n;
        const mode = MODES[seed % MODES.length]!;
        it(`${transport}, ${mechanism}, ${policy}${policy === 'none' ? '' : `, ${mode}`}`, () => {
          const secret = secretOf(mechanism);
          const meter = createVirtualMeter({
            crypto: seededCrypto(seed),
            clients: [
              { address: 16, mechanism: 'none' },
              { address: 1, mechanism, ...(secret !== undefined && { secret }), policy, access: 'read-write' },
            ],
          });
          const c = new SecureClient(meter, { transport, mechanism, policy, mode, ...(secret !== undefined && { secret }) });
          const hls = mechanism !== 'none' && mechanism !== 'low';

          // Pass 1/2: accepted; HLS answers 14 with the meter's challenge.
          const aare = c.associate();
          expect([aare.result, aare.resultSourceDiagnostic.diagnostic]).toEqual([0, hls ? 14 : 0]);
          expect(aare.applicationContextName).toBe(policy === 'none' ? 'logical-name' : 'logical-name-ciphered');
          if (hls) {
            expect(aare.mechanismName).toBe(mechanism);
            expect(aare.respondingAuthenticationValue?.length).toBe(16);
          } else {
            expect(aare.respondingAuthenticationValue).toBeUndefined();
          }
          const titled = policy !== 'none' || mechanism === 'high-gmac' || mechanism === 'high-sha256';
          expect(aare.respondingApTitle).toEqual(titled ? meter.config.security.systemTitle : undefined);
          // general-protection only where there is ciphering to go with it.
          expect(c.initiateResponse?.negotiatedConformance).toBe(policy === 'none' ? 0x001a1d : 0x401a1d);
          expect(aare.userInformation![0]).toBe(policy === 'none' ? 0x08 : mode === 'glo' ? 0x28 : 0xdb);
          expect(c.client.connection.association?.status).toBe(hls ? 'pending' : 'associated');

          // Pass 3/4.
          if (hls) {
            const r = c.replyToHls();
            expect(r.result).toBe(0);
            expect(r.meterProofVerifies).toBe(true);
            expect(c.client.connection.association?.status).toBe('associated');
          }

          // A protected GET of the clock, answered the way it was asked.
          const clock = c.value(8, '0-0:1.0.0.255', 2);
          expect(clock.type).toBe('octet-string');
          expect((clock as { value: Uint8Array }).value.length).toBe(12);
          if (policy !== 'none') {
            const last = c.deciphered.at(-1)!;
            expect(last.mode).toBe(mode);
            expect(last.securityControl).toBe(SC[policy]);
            expect(last.systemTitle).toEqual(meter.config.security.systemTitle);
          }

          // Release: ciphered InitiateRequest in, ciphered InitiateResponse out.
          const rlre = c.release();
          expect(rlre.reason).toBe(0);
          if (policy === 'none') expect(rlre.userInformation).toBeUndefined();
          else expect(decodeUserInformation(c.open(rlre.userInformation!))).toMatchObject({ kind: 'initiate-response', negotiatedConformance: 0x401a1d });
          expect(c.client.connection.association).toBeNull();
        });
      }
    }
  }
});

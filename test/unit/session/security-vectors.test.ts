/**
 * The two HLS-GMAC traces: given the trace's keys, system titles, challenge and first invocation
 * counter, the session produces every client message byte for byte (every ciphered frame included)
 * and decodes every ciphered answer to the trace's results.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { ClientSession } from '../../../core/session/client-session.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { securedSettings } from '../../support/vectors.js';
import { checkFullRead, FULL_READ, loadTrace, MODES, noteField, replay, type Trace } from './trace-replay.js';

function securedSessionFor(trace: Trace, persisted: number[]): ClientSession {
  const s = securedSettings(trace);
  const hdlc = s.framing.startsWith('HDLC');
  const client = s.client_address;
  const server = s.server_logical_address;
  const link = hdlc
    ? new HdlcLink({ role: 'client', clientAddress: client, serverAddress: oneByteAddress(server) })
    : new WrapperLink({ role: 'client', clientWPort: client, serverWPort: server });
  return new ClientSession(link, {
    referencing: 'ln',
    authentication: 'high-gmac',
    crypto: nodeCrypto,
    clientChallenge: fromHex(noteField(trace, 'calling\\(CtoS\\)_auth_value')),
    proposedConformance: parseInt(noteField(trace, 'conformance'), 16),
    maxReceivePduSize: Number(noteField(trace, 'client_max_pdu')),
    security: {
      policy: 'authenticated-encryption',
      ciphering: 'general-glo',
      keys: {
        blockCipherKey: fromHex(s.keys.block_cipher_key_EK),
        authenticationKey: fromHex(s.keys.authentication_key_AK),
      },
      systemTitle: fromHex(s.system_titles.client.slice(0, 16)),
      invocationCounter: s.invocation_counters.client_initial,
      persistInvocationCounter: (used) => persisted.push(used),
    },
  });
}

describe('the client session reproduces the HLS-GMAC sessions byte for byte', () => {
  for (const name of ['hdlc-hls-gmac-authenc', 'wrapper-hls-gmac-authenc']) {
    for (const mode of MODES) {
      it(`${name} (${mode})`, () => {
        const trace = loadTrace(name);
        const persisted: number[] = [];
        const session = securedSessionFor(trace, persisted);
        const hdlc = name.startsWith('hdlc');
        const outcomes = replay(session, trace, hdlc ? FULL_READ : FULL_READ.slice(0, -1), mode);
        checkFullRead(trace, hdlc ? outcomes : [...outcomes, { ok: true, result: { kind: 'closed' } }]);
        // Every counter was persisted before use, each once, in order.
        const first = securedSettings(trace).invocation_counters.client_initial;
        expect(persisted).toEqual(persisted.map((_, i) => first + i));
        expect(persisted.length).toBeGreaterThan(8);
      });
    }
  }
});

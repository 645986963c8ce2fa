import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { describeProtected } from '../../../core/security/describe.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { loadTrace, securedSettings } from '../../support/vectors.js';

/** The APDU of a wrapper message (HDLC traces carry segments; the wrapper ones are whole). */
const apduOf = (hex: string): Uint8Array => fromHex(hex).subarray(8);

describe('describing ciphered APDUs for traces', () => {
  const trace = loadTrace('wrapper-hls-gmac-authenc');
  const s = securedSettings(trace);
  const keys = {
    keys: { blockCipherKey: fromHex(s.keys.block_cipher_key_EK), authenticationKey: fromHex(s.keys.authentication_key_AK) },
  };
  const clientTitle = fromHex(s.system_titles.client.slice(0, 16));
  const serverTitle = fromHex(s.system_titles.server.slice(0, 16));

  it('opens every ciphered message of the trace and shows its structure', () => {
    for (const e of trace.exchanges) {
      const peer = e.dir === 'c2s' ? clientTitle : serverTitle;
      const line = describeProtected(apduOf(e.hex), nodeCrypto, { ...keys, peerSystemTitle: peer });
      expect(line, e.note).not.toMatch(/not deciphered/);
      if (e.note.includes('GET.request-normal')) expect(line).toMatch(/GET|get-request/i);
      if (e.note.includes('glo-initiate-request')) expect(line).toMatch(/initiate-request/i);
    }
  });

  it('never shows a key, and hides the HLS challenge (the one-time proofs may show)', () => {
    const text = trace.exchanges
      .map((e) => describeProtected(apduOf(e.hex), nodeCrypto, { ...keys, peerSystemTitle: e.dir === 'c2s' ? clientTitle : serverTitle }))
      .join('\n')
      .toLowerCase();
    expect(text).not.toContain(s['keys']['block_cipher_key_EK'].toLowerCase());
    expect(text).not.toContain(s['keys']['authentication_key_AK'].toLowerCase());
    const aarq = apduOf(trace.exchanges[0]!.hex);
    const challenge = /calling\(CtoS\)_auth_value=([0-9a-f]+)/.exec(trace.exchanges[0]!.note)![1]!;
    expect(toHex(aarq)).toContain(challenge);
    expect(text).not.toContain(challenge);
  });

  it('names what it cannot open, with the reason, when the keys are wrong or absent', () => {
    const get = apduOf(trace.exchanges[2]!.hex);
    expect(describeProtected(get)).toMatch(/ciphered/);
    const wrong = describeProtected(get, nodeCrypto, {
      keys: { blockCipherKey: new Uint8Array(16), authenticationKey: keys.keys.authenticationKey },
      peerSystemTitle: clientTitle,
    });
    expect(wrong).toMatch(/not deciphered: .*Block cipher key/);
  });
});

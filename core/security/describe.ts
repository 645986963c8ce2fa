/**
 * One-line descriptions of APDUs as they cross the wire, with ciphered ones opened when the keys are
 * known: a trace shows the structure inside (GET of 1-0:1.8.0.255 ...) while keys, passwords,
 * challenges and dedicated keys stay hidden. Describing never changes any counter state: it is for
 * people, not for the protocol.
 */
import { decodeApdu } from '../apdu/codec.js';
import { describeApdu, describeApduBytes } from '../apdu/describe.js';
import { DlmsError } from '../errors.js';
import { decipherApdu, isCipheredTag, type DecipherApduParams } from './ciphered-apdu.js';
import type { CryptoProvider } from './provider.js';

const MODE_NAMES = { glo: 'glo-ciphered', ded: 'ded-ciphered', 'general-glo': 'general-glo-ciphering', 'general-ded': 'general-ded-ciphering' } as const;

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** `bytes` ciphered or not; `keys` absent means ciphered content is only named. */
export function describeProtected(bytes: Uint8Array, crypto?: CryptoProvider, keys?: DecipherApduParams): string {
  if (bytes.length === 0) return 'empty APDU';
  if (isCipheredTag(bytes[0]!)) return describeCiphered(bytes, crypto, keys);
  let apdu;
  try {
    apdu = decodeApdu(bytes);
  } catch {
    return describeApduBytes(bytes);
  }
  const line = describeApdu(apdu);
  // ACSE APDUs carry the xDLMS part ciphered inside their user-information.
  if ((apdu.kind === 'aarq' || apdu.kind === 'aare' || apdu.kind === 'rlrq' || apdu.kind === 'rlre') && apdu.userInformation !== undefined) {
    const info = apdu.userInformation;
    if (info.length > 0 && isCipheredTag(info[0]!) && crypto !== undefined && keys !== undefined) {
      return `${line}; user-information ${describeCiphered(info, crypto, keys)}`;
    }
  }
  return line;
}

function describeCiphered(bytes: Uint8Array, crypto: CryptoProvider | undefined, keys: DecipherApduParams | undefined): string {
  const named = describeApduBytes(bytes);
  if (crypto === undefined || keys === undefined) return named;
  try {
    const d = decipherApdu(crypto, keys, bytes);
    const inner = describeProtected(d.plainApdu);
    return `${MODE_NAMES[d.mode]} title=${hex(d.systemTitle)} SC=${d.securityControl.toString(16).padStart(2, '0')} IC=${d.invocationCounter} -> ${inner}`;
  } catch (e) {
    const why = e instanceof DlmsError ? e.message : String(e);
    return `${named}, not deciphered: ${why}`;
  }
}

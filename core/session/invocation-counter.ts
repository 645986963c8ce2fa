/**
 * Before a ciphered association: meters publish the invocation counter they expect next in a Data
 * object (usually 0-0:43.1.x.255) that the public client (16, no security) may read. A counter below
 * it would be refused, so the secured session starts at or above it.
 */
import type { DlmsValue } from '../axdr/types.js';
import { RemoteProtocolError } from '../errors.js';
import type { DlmsClient } from './client.js';
import { describeRef, type SessionRemoteCode } from './errors.js';

/** Open a (public) association, read the counter object's value, release and close the link. */
export async function readInvocationCounter(publicClient: Pick<DlmsClient, 'open' | 'get' | 'release' | 'close'>, logicalName: Uint8Array): Promise<number> {
  await publicClient.open();
  try {
    const ref = { classId: 1, logicalName, attributeId: 2 };
    return counterValue(await publicClient.get(ref), describeRef(ref));
  } finally {
    // A meter that does not release cleanly still loses the link: the counter was read either way.
    await publicClient.release().catch(() => undefined);
    await publicClient.close().catch(() => undefined);
  }
}

export function counterValue(v: DlmsValue, what: string): number {
  if ((v.type === 'double-long-unsigned' || v.type === 'long-unsigned' || v.type === 'unsigned') && v.value >= 0) return v.value;
  if (v.type === 'long64-unsigned' && v.value <= 0xffffffffn) return Number(v.value);
  throw new RemoteProtocolError<SessionRemoteCode>(
    `${what} holds ${v.type}, not an invocation counter (double-long-unsigned): check the Invocation counter OBIS code`,
    'bad-counter-object',
  );
}

/** The first counter of a session: what the meter expects, and above every counter used before. */
export function firstInvocationCounter(meterExpects: number | null, highestUsed: number | null): number {
  return Math.max(meterExpects ?? 0, highestUsed === null ? 0 : highestUsed + 1);
}

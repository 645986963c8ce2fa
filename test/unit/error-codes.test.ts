/**
 * The closed code unions of core/errors.ts: the compiler refuses a code outside them (the
 * `@ts-expect-error` lines below fail `npm run typecheck` if it ever accepts one), the lists here are
 * exactly the unions (checked at the type level), and every listed code is one the tree makes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AccessError,
  type AccessErrorCode,
  AssociationError,
  type AssociationErrorCode,
  CipheringError,
  type CipheringErrorCode,
  DecodeError,
  type DecodeErrorCode,
  type DlmsError,
  deserializeError,
  InputError,
  type InputErrorCode,
  LocalProtocolError,
  type LocalProtocolErrorCode,
  RemoteProtocolError,
  type RemoteProtocolErrorCode,
  TimeoutError,
  type TimeoutErrorCode,
  TransportError,
  type TransportErrorCode,
} from '../../core/errors.js';
import type { SecurityCipheringCode } from '../../core/security/suite0.js';
import type {
  SessionAccessCode,
  SessionAssociationCode,
  SessionCipheringCode,
  SessionDecodeCode,
  SessionLocalCode,
  SessionRemoteCode,
  SessionTimeoutCode,
  SessionTransportCode,
} from '../../core/session/errors.js';

/** true only when the two types are the same set. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T => true as T;

// Each list starts with its class's default code (the one core/errors.ts gives when none is passed).
const decode = [
  'decode',
  'bad-address',
  'bad-bit-string',
  'bad-conformance',
  'bad-control',
  'bad-description',
  'bad-enum',
  'bad-fcs',
  'bad-flag',
  'bad-format',
  'bad-hcs',
  'bad-integer',
  'bad-length',
  'bad-object-list',
  'bad-oid',
  'bad-parameters',
  'bad-utf8',
  'bad-version',
  'ciphered-apdu',
  'duplicate-field',
  'length-beyond-data',
  'missing-field',
  'too-deep',
  'too-long',
  'trailing-bytes',
  'truncated',
  'unexpected-tag',
  'unknown-oid',
  'unknown-tag',
] as const;
const remote = [
  'remote-protocol',
  'apdu-too-long',
  'bad-counter-object',
  'bad-list-response',
  'bad-read-response',
  'bad-receive-sequence',
  'bad-write-response',
  'block-sequence',
  'exception-response',
  'no-challenge',
  'no-initiate-response',
  'no-scaler-unit',
  'no-system-title',
  'stale-answer',
  'too-long',
  'unexpected-answer',
  'unexpected-ua',
  'unexpected-value',
  'unsolicited',
] as const;
const local = [
  'local-protocol',
  'bad-schedule-transition',
  'bad-state',
  'busy',
  'cancelled',
  'concurrent-read',
  'link-not-held',
  'link-not-open',
  'lost-operation',
  'meter-fault',
  'no-challenge',
  'no-clock',
  'no-dedicated-key',
  'no-object-list',
  'no-progress',
  'not-associated',
  'not-sn',
  'too-many-rounds',
  'unexpected-result',
  'value-too-long',
] as const;
const association = [
  'association-rejected',
  'association-accepted',
  'authentication-failure',
  'authentication-required',
  'ciphering-required',
  'hls-meter-unverified',
  'hls-rejected',
  'initiate-error',
  'initiate-refused',
] as const;
const access = [
  'access-denied',
  'access-failed',
  'action-failed',
  'confirmed-service-error',
  'success',
  'data-block-number-invalid',
  'data-block-unavailable',
  'hardware-fault',
  'long-action-aborted',
  'long-get-aborted',
  'long-set-aborted',
  'no-long-action-in-progress',
  'no-long-get-in-progress',
  'no-long-set-in-progress',
  'object-class-inconsistent',
  'object-unavailable',
  'object-undefined',
  'other-reason',
  'read-write-denied',
  'scope-of-access-violated',
  'temporary-failure',
  'type-unmatched',
] as const;
const ciphering = [
  'ciphering',
  'bad-length',
  'bad-security-control',
  'bad-system-title',
  'ciphering-not-supported',
  'ciphering-required',
  'counter-exhausted',
  'deciphering-error',
  'foreign-system-title',
  'invocation-counter-error',
  'invocation-counter-too-low',
  'meter-could-not-decipher',
  'no-dedicated-key',
  'no-system-title',
  'not-ciphered',
  'replayed-counter',
  'tag-mismatch',
  'trailing-bytes',
  'truncated',
  'unexpected-content',
  'unprotected-answer',
  'unsupported',
  'weaker-protection',
  'wrong-authentication-key',
  'wrong-block-cipher-key',
] as const;
const transport = [
  'transport',
  'closed',
  'connect-failed',
  'connect-timeout',
  'connection-closed',
  'connection-lost',
  'connection-refused',
  'connection-reset',
  'host-not-found',
  'host-unreachable',
  'job-cancelled',
  'link-closed',
  'mode-e-baud-rate',
  'mode-e-garbage',
  'mode-e-no-answer',
  'no-chromium',
  'not-a-serial-port',
  'pdf-failed',
  'pdf-timeout',
  'port-busy',
  'port-disconnected',
  'port-failed',
  'port-not-found',
  'port-open-failed',
  'port-permission',
  'unsupported-line-settings',
  'write-failed',
] as const;
const timeout = ['timeout'] as const;
const input = ['invalid-input'] as const;

// The lists above are exactly the unions: adding a code to core/errors.ts without adding it here fails typecheck.
same<Same<(typeof decode)[number], DecodeErrorCode>>();
same<Same<(typeof remote)[number], RemoteProtocolErrorCode>>();
same<Same<(typeof local)[number], LocalProtocolErrorCode>>();
same<Same<(typeof association)[number], AssociationErrorCode>>();
same<Same<(typeof access)[number], AccessErrorCode>>();
same<Same<(typeof ciphering)[number], CipheringErrorCode>>();
same<Same<(typeof transport)[number], TransportErrorCode>>();
same<Same<(typeof timeout)[number], TimeoutErrorCode>>();
same<Same<(typeof input)[number], InputErrorCode>>();

// The narrower unions of core/session and core/security are subsets of their class's union.
same<[SessionDecodeCode] extends [DecodeErrorCode] ? true : false>();
same<[SessionRemoteCode] extends [RemoteProtocolErrorCode] ? true : false>();
same<[SessionLocalCode] extends [LocalProtocolErrorCode] ? true : false>();
same<[SessionAssociationCode] extends [AssociationErrorCode] ? true : false>();
same<[SessionAccessCode] extends [AccessErrorCode] ? true : false>();
same<[SessionCipheringCode | SecurityCipheringCode] extends [CipheringErrorCode] ? true : false>();
same<[SessionTransportCode] extends [TransportErrorCode] ? true : false>();
same<[SessionTimeoutCode] extends [TimeoutErrorCode] ? true : false>();

/** Compile-time only: each line must be refused, so `@ts-expect-error` is used. Never called. */
export function refusedCodes(): DlmsError[] {
  return [
    // @ts-expect-error a misspelt code
    new DecodeError('x', 0, 'truncted'),
    // @ts-expect-error a TransportError code on a DecodeError
    new DecodeError('x', 0, 'port-busy'),
    // @ts-expect-error a free string
    new TransportError('x', 'socket-gone' as string),
    // @ts-expect-error not a RemoteProtocolError code
    new RemoteProtocolError('x', 'remote'),
    // @ts-expect-error not a LocalProtocolError code
    new LocalProtocolError('x', 'bad-stat'),
    // @ts-expect-error not an AssociationError code
    new AssociationError('x', 1, 'none', 0, 'rejected'),
    // @ts-expect-error not an AccessError code
    new AccessError('x', 4, 'object-undefind'),
    // @ts-expect-error not a CipheringError code
    new CipheringError('x', 'tag-mismatched'),
    // @ts-expect-error not a TimeoutError code
    new TimeoutError('x', 'time-out'),
    // @ts-expect-error not an InputError code
    new InputError('field', 1, 'rule', 'invalid'),
    // @ts-expect-error outside the session's narrower union, though in the class's
    new TransportError<SessionTransportCode>('x', 'port-busy'),
  ];
}

const makers: readonly (readonly [string, readonly string[], (code: never) => DlmsError])[] = [
  ['DecodeError', decode, (c: DecodeErrorCode) => new DecodeError('m', 3, c)],
  ['RemoteProtocolError', remote, (c: RemoteProtocolErrorCode) => new RemoteProtocolError('m', c)],
  ['LocalProtocolError', local, (c: LocalProtocolErrorCode) => new LocalProtocolError('m', c)],
  ['AssociationError', association, (c: AssociationErrorCode) => new AssociationError('m', 1, 'acse-service-user', 13, c)],
  ['AccessError', access, (c: AccessErrorCode) => new AccessError('m', 4, c)],
  ['CipheringError', ciphering, (c: CipheringErrorCode) => new CipheringError('m', c)],
  ['TransportError', transport, (c: TransportErrorCode) => new TransportError('m', c)],
  ['TimeoutError', timeout, (c: TimeoutErrorCode) => new TimeoutError('m', c)],
  ['InputError', input, (c: InputErrorCode) => new InputError('f', 'v', 'rule', c)],
];

/**
 * The text of every .ts/.svelte source under core/, electron/, renderer/ and test/, core/errors.ts and this
 * file left out.
 */
function sources(): string {
  const root = join(import.meta.dirname, '..', '..');
  const texts: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path, depth + 1);
      } else if (/\.(ts|svelte)$/.test(entry.name) && path !== join(root, 'core', 'errors.ts') && path !== import.meta.filename) {
        texts.push(readFileSync(path, 'utf8'));
      }
    }
  };
  for (const top of ['core', 'electron', 'renderer', 'test']) walk(join(root, top), 0);
  return texts.join('\n');
}

describe('error code unions', () => {
  it.each(makers)('%s: every code constructs, keeps its code and crosses a boundary unchanged', (name, codes, make) => {
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const err = make(code as never);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      const back = deserializeError(JSON.parse(JSON.stringify(err.toJSON())));
      expect(back.name).toBe(name);
      expect(back.code).toBe(code);
    }
  });

  it('lists no code the tree never makes (each but the default appears as a literal outside core/errors.ts)', () => {
    const text = sources();
    const unused = makers.flatMap(([name, codes]) =>
      codes
        .slice(1)
        .filter((c) => !text.includes(`'${c}'`))
        .map((c) => `${name}:${c}`),
    );
    expect(unused).toEqual([]);
  });
});

/**
 * One conversation with one physical device, as the CLI and the app run it: on the device's link (one
 * conversation at a time per link), read the meter's invocation counter through a public association
 * when the device has an Invocation counter OBIS code, start above every counter used before, associate,
 * do the work, release and disconnect. Every frame can go to a trace; secrets never do.
 */
import { DlmsError, LocalProtocolError } from '../../core/errors.js';
import { explainSilence } from './silence-hints.js';
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import type { DataLink } from '../../core/datalink.js';
import { HdlcLink } from '../../core/hdlc/link.js';
import { DlmsClient, type ByteTransport } from '../../core/session/client.js';
import { readInvocationCounter } from '../../core/session/invocation-counter.js';
import type { SessionSecurityOptions } from '../../core/session/security.js';
import type { MeterLimitsBook, SessionLimits } from '../../core/app/reading/meter-limits.js';
import { WrapperLink } from '../../core/wrapper/link.js';
import type { InvocationCounterStore } from './invocation-counters.js';
import type { Link, LinkTransport } from './links/link.js';
import { makeLink } from './links/make-link.js';
import { nodeCrypto } from './node-crypto.js';
import type { LinkTrace } from './trace.js';
import type { Engine, EngineLink } from './engine/host.js';
import type { SessionSpec } from './engine/protocol.js';

/** The public client that may read the invocation counter object without security. */
const PUBLIC_CLIENT = 16;

export function linkFor(settings: DeviceLinkSettings): Link {
  return makeLink(settings.link);
}

/** What work may ask of a session, wherever it runs: in this thread or in the engine worker. */
export type SessionClient = Pick<DlmsClient, 'open' | 'get' | 'getList' | 'set' | 'action' | 'readObjectList' | 'learned' | 'release' | 'close'>;

export interface DeviceSessionContext {
  /** Run the DLMS session in the engine worker; this thread then only moves bytes. */
  readonly engine?: Engine;
  /** With an engine: the counter file the worker persists to (the store above reads it afresh). */
  readonly countersFile?: string;
  /** Where the invocation counters of this installation are kept. */
  readonly counters?: InvocationCounterStore;
  /** The installation's client system title. */
  readonly systemTitle?: Uint8Array;
  /** Every frame, both ways. */
  readonly trace?: LinkTrace;
  /**
   * What this job is (core/app/trace-notes.ts), written to the trace as a note when its turn on the
   * link comes, before its first frame: how a person finds the frames of one read.
   */
  readonly traceNote?: string;
  /** Told which opening of the link this job runs on (it changes when the link was re-opened). */
  readonly onConnection?: (connection: number) => void;
  /** Told as each step of opening ends: the link, the counter read, the association. */
  readonly onStep?: (step: 'link' | 'invocation-counter' | 'association', detail: string) => void;
  /** HDLC frame size and window to propose; the meter answers with what it can do. */
  readonly hdlc?: { readonly maxInfo: number; readonly window: number };
  /** What each meter has shown it cannot take (list size, block size), kept per device for the app's run. */
  readonly meterLimits?: MeterLimitsBook;
  /** List and PDU sizes for this conversation (default: what meterLimits knows of the device). */
  readonly sessionLimits?: SessionLimits;
  /** Cancel: a job waiting for its turn leaves the queue, a running one stops within 100 ms. */
  readonly signal?: AbortSignal;
}

/** The list and PDU sizes a conversation with this device uses. */
function limitsFor(settings: DeviceLinkSettings, ctx: DeviceSessionContext): SessionLimits | undefined {
  return ctx.sessionLimits ?? ctx.meterLimits?.peek(settings.deviceId)?.session();
}

function dataLink(settings: DeviceLinkSettings, clientAddress: number, ctx: DeviceSessionContext): DataLink {
  if (settings.transport === 'wrapper') return new WrapperLink({ role: 'client', clientWPort: clientAddress, serverWPort: settings.wPort });
  return new HdlcLink({
    role: 'client',
    clientAddress,
    serverAddress: settings.hdlcServerAddress,
    ...(ctx.hdlc ? { proposed: { maxInfoTx: ctx.hdlc.maxInfo, maxInfoRx: ctx.hdlc.maxInfo, windowTx: ctx.hdlc.window, windowRx: ctx.hdlc.window } } : {}),
  });
}

function traced(transport: ByteTransport, trace: LinkTrace | undefined): ByteTransport {
  if (trace === undefined) return transport;
  return {
    write: (bytes) => {
      trace.send(bytes, Date.now());
      return transport.write(bytes);
    },
    read: async (ms) => {
      const chunk = await transport.read(ms);
      // Silence: a frame left incomplete is shown as it is.
      if (chunk !== null) trace.receive(chunk, Date.now());
      else trace.flushReceived(Date.now());
      return chunk;
    },
    now: () => transport.now(),
  };
}

/** The secrets a trace of this device must hide. */
export function deviceSecrets(settings: DeviceLinkSettings): Uint8Array[] {
  return [settings.password, settings.keys.blockCipherKey, settings.keys.authenticationKey, settings.dedicatedKey].filter(
    (s): s is Uint8Array => s !== null && s.length > 0,
  );
}

/** The bytes of a link transport, pumped to the engine while a session needs them. */
function engineLink(transport: ByteTransport): EngineLink & { stop(): Promise<void> } {
  const state: {
    listener: ((bytes: Uint8Array) => void) | null;
    lost: ((error: unknown) => void) | null;
    running: boolean;
  } = { listener: null, lost: null, running: true };
  const loop = (async () => {
    try {
      while (state.running) {
        const chunk = await transport.read(50);
        if (chunk !== null) state.listener?.(chunk);
      }
    } catch (e) {
      // The link went away under the pump: the session in the worker fails its request with why.
      if (state.running) state.lost?.(e);
    }
  })();
  return {
    write: (bytes) => transport.write(bytes),
    onData: (l) => {
      state.listener = l;
      return () => (state.listener = null);
    },
    onLost: (l) => {
      state.lost = l;
      return () => (state.lost = null);
    },
    stop: () => {
      state.running = false;
      return loop;
    },
  };
}

function sessionSpec(
  settings: DeviceLinkSettings,
  clientAddress: number,
  ctx: DeviceSessionContext,
  security: SessionSecurityOptions | undefined,
  authenticated: boolean,
): SessionSpec {
  const link: SessionSpec['link'] =
    settings.transport === 'wrapper'
      ? { kind: 'wrapper', clientWPort: clientAddress, serverWPort: settings.wPort }
      : { kind: 'hdlc', clientAddress, serverAddress: settings.hdlcServerAddress, ...(ctx.hdlc ? { maxInfo: ctx.hdlc.maxInfo, window: ctx.hdlc.window } : {}) };
  const { persistInvocationCounter: _persist, ...plainSecurity } = security ?? ({} as SessionSecurityOptions);
  return {
    link,
    options: {
      responseTimeoutMs: settings.responseTimeoutMs,
      alignPduToFrames: true,
      ...(authenticated ? limitsFor(settings, ctx) : {}),
      ...(authenticated
        ? {
            referencing: settings.referencing,
            authentication: settings.authentication,
            ...(settings.password !== null ? { password: settings.password } : {}),
            ...(security ? { security: plainSecurity as Omit<SessionSecurityOptions, 'persistInvocationCounter'> } : {}),
          }
        : {}),
    },
    ...(authenticated && security && ctx.countersFile ? { counters: { file: ctx.countersFile, deviceId: settings.deviceId } } : {}),
  };
}

export async function withDeviceSession<T>(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  work: (client: SessionClient) => Promise<T>,
): Promise<T> {
  const ciphered = settings.securityPolicy !== 'none' || settings.authentication === 'high-gmac' || settings.authentication === 'high-sha256';
  const counterObis = ciphered && settings.securityPolicy !== 'none' ? settings.invocationCounterObis : null;
  let noted = false;
  const opened = (raw: LinkTransport): ByteTransport => {
    if (ctx.traceNote !== undefined && !noted) ctx.trace?.note(ctx.traceNote, Date.now());
    noted = true;
    ctx.onStep?.('link', link.description);
    ctx.onConnection?.(raw.connection);
    return cancellable(traced(raw, ctx.trace), ctx.signal);
  };
  const runOptions = { device: settings.deviceId, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) };
  // Silence is explained for this link: which fields to check depends on TCP or serial, HDLC or wrapper.
  const explained = (e: unknown): never => {
    throw e instanceof DlmsError ? explainSilence(e, settings) : e;
  };
  const readCounter = (transport: ByteTransport): Promise<number> =>
    sessionOn(settings, ctx, transport, PUBLIC_CLIENT, undefined, false, (publicClient) => readInvocationCounter(publicClient, counterObis!));

  // An optical port in mode E goes back to 300 baud and waits for a new sign-on when an HDLC link
  // ends: the public association that reads the counter gets a job (and a sign-on) of its own.
  const ownSignOn = settings.link.kind === 'serial' && settings.link.modeE;
  let meterExpects: number | null = null;
  if (counterObis !== null && ownSignOn) {
    meterExpects = await link.run((raw) => readCounter(opened(raw)), runOptions).catch(explained);
    ctx.onStep?.('invocation-counter', `the meter expects ${meterExpects} or more`);
  }
  return link
    .run(async (raw) => {
      const transport = opened(raw);
      let security: SessionSecurityOptions | undefined;
      if (ciphered) {
        const keys = {
          blockCipherKey: settings.keys.blockCipherKey ?? new Uint8Array(16),
          // Encryption alone carries no tag, so suite 0 never uses the authentication key then.
          authenticationKey: settings.keys.authenticationKey ?? new Uint8Array(16),
        };
        if (counterObis !== null && !ownSignOn) {
          meterExpects = await readCounter(transport);
          ctx.onStep?.('invocation-counter', `the meter expects ${meterExpects} or more`);
        }
        const counters = ctx.counters;
        security = {
          policy: settings.securityPolicy,
          keys,
          ...(settings.dedicatedKey !== null ? { dedicatedKey: settings.dedicatedKey } : {}),
          systemTitle: ctx.systemTitle ?? new Uint8Array([0x43, 0x53, 0x54, 0, 0, 0, 0, 1]),
          invocationCounter: counters ? counters.nextCounter(settings.deviceId, keys, meterExpects) : (meterExpects ?? 1),
          ...(counters ? { persistInvocationCounter: counters.persister(settings.deviceId, keys) } : {}),
        };
      }
      return sessionOn(settings, ctx, transport, settings.clientAddress, security, true, async (client) => {
        const association = await client.open();
        const learned = ctx.meterLimits?.peek(settings.deviceId)?.summary() ?? null;
        const hdlcFrames = association.link
          ? `, HDLC frames ${association.link.maxInfoTx}/${association.link.maxInfoRx} bytes, window ${association.link.windowTx}`
          : '';
        ctx.onStep?.(
          'association',
          `${settings.authentication === 'none' ? 'no authentication' : settings.authentication}, ` +
            `${settings.securityPolicy === 'none' ? 'no ciphering' : settings.securityPolicy}; max PDU ` +
            `${association.serverMaxReceivePduSize}` +
            hdlcFrames +
            `${learned === null ? '' : `; ${learned}`}`,
        );
        try {
          return await work(client);
        } finally {
          // A meter that does not release or disconnect cleanly has still answered what was asked.
          await client.release().catch(() => undefined);
          await client.close().catch(() => undefined);
        }
      });
    }, runOptions)
    .catch(explained);
}

/** How often a waiting read looks at the cancel signal. */
const CANCEL_POLL_MS = 100;

/**
 * The transport, stopped by `signal`: reads wait in short steps and look at the signal between them,
 * so a cancelled Test ends within CANCEL_POLL_MS without leaving a read pending on the link (the
 * next job's bytes would go to it).
 */
function cancellable(transport: ByteTransport, signal: AbortSignal | undefined): ByteTransport {
  if (signal === undefined) return transport;
  const cancelled = (): DlmsError => new LocalProtocolError('Cancelled: the Test was stopped before the meter answered', 'cancelled');
  return {
    write: (bytes) => {
      if (signal.aborted) throw cancelled();
      return transport.write(bytes);
    },
    read: async (timeoutMs) => {
      const until = transport.now() + timeoutMs;
      for (;;) {
        if (signal.aborted) throw cancelled();
        const left = until - transport.now();
        const chunk = await transport.read(Math.max(1, Math.min(left, CANCEL_POLL_MS)));
        if (chunk !== null || transport.now() >= until) return chunk;
      }
    },
    now: () => transport.now(),
  };
}

/** A session for one client address over `transport`, here or in the engine worker. */
async function sessionOn<R>(
  settings: DeviceLinkSettings,
  ctx: DeviceSessionContext,
  transport: ByteTransport,
  clientAddress: number,
  sec: SessionSecurityOptions | undefined,
  authenticated: boolean,
  use: (c: SessionClient) => Promise<R>,
): Promise<R> {
  if (ctx.engine !== undefined) {
    const pump = engineLink(transport);
    const remote = ctx.engine.openSession(sessionSpec(settings, clientAddress, ctx, sec, authenticated), pump);
    try {
      return await use(remote);
    } finally {
      remote.dispose();
      await pump.stop();
    }
  }
  const client = new DlmsClient(
    dataLink(settings, clientAddress, ctx),
    transport,
    authenticated
      ? {
          referencing: settings.referencing,
          authentication: settings.authentication,
          ...(settings.password !== null ? { password: settings.password } : {}),
          crypto: nodeCrypto,
          ...(sec ? { security: sec } : {}),
          ...limitsFor(settings, ctx),
          responseTimeoutMs: settings.responseTimeoutMs,
          alignPduToFrames: true,
        }
      : { responseTimeoutMs: settings.responseTimeoutMs, alignPduToFrames: true },
  );
  return use(client);
}

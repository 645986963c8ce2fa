/**
 * The fuzz targets: each takes one input and drives one decoder (or the virtual meter) with it.
 * A target throws whatever the code under test throws; the engine decides what is allowed. What a
 * target needs beyond the bytes (how a stream is chunked, which wrapper options) comes from a hash
 * of the input, so a saved input replays exactly.
 */
import { aareDiagnosticText, associationErrorFromAare, decodeApdu, decodeUserInformation, describeApdu } from '../../core/apdu/index.js';
import { decodeDataBytes, encodeDataBytes } from '../../core/axdr/codec.js';
import { formatValue } from '../../core/axdr/format.js';
import { concatBytes } from '../../core/bytes.js';
import { CipheringError, DecodeError, DlmsError } from '../../core/errors.js';
import { decodeFrame } from '../../core/hdlc/frame.js';
import { HdlcFramer } from '../../core/hdlc/framer.js';
import { decodeParameters } from '../../core/hdlc/parameters.js';
import type { VirtualMeter } from '../../core/meter/index.js';
import { decipherApdu } from '../../core/security/index.js';
import { WrapperFramer } from '../../core/wrapper/framer.js';
import { nodeCrypto } from '../../electron/services/node-crypto.js';
import { createFuzzMeter, FUZZ_NOW } from './meter-setup.js';
import { repairHdlcChecks } from './hdlc-checks.js';
import { inputHash } from './rng.js';
import { buildSeeds, recordedSessions, TRACE_CLIENT_TITLE, TRACE_KEYS, TRACE_SERVER_TITLE, traceMessages, type SeedSet } from './seeds.js';

export const TARGET_NAMES = ['hdlc-framer', 'hdlc-frame', 'wrapper-framer', 'apdu', 'apdu-ciphered', 'axdr', 'aare', 'meter'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface FuzzTarget {
  readonly name: TargetName;
  readonly seeds: readonly Uint8Array[];
  /** Drive the code with one input. True when it was accepted whole (worth keeping as a seed). */
  run(input: Uint8Array): boolean;
  /** The errors this target may throw; default any DlmsError. */
  readonly allowed?: (err: unknown) => boolean;
}

/**
 * Thrown by a target when the code under test misbehaves without throwing: a framer that keeps
 * answering without consuming bytes, a meter that hides an internal fault. Not a DlmsError, so the
 * engine counts it as a failure.
 */
export class FuzzInvariantError extends Error {
  override readonly name = 'FuzzInvariantError';
}

/** Cut `input` into chunks whose sizes come from its hash: one piece, bytes one by one, or random sizes. */
function chunksOf(input: Uint8Array, hash: number): Uint8Array[] {
  const style = hash & 3;
  if (style === 0 || input.length === 0) return [input];
  if (style === 1 && input.length <= 256) return Array.from(input, (b) => Uint8Array.of(b));
  const out: Uint8Array[] = [];
  let h = hash;
  for (let at = 0; at < input.length;) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    const n = 1 + (h % 48);
    out.push(input.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Half the HDLC inputs get their HCS/FCS recomputed, to reach the decoders behind the CRC. */
const REPAIR_BIT = 8;

/** A framer that needs more calls than bytes it was given is looping. */
function loopBound(input: Uint8Array): number {
  return input.length * 2 + 16;
}

function hdlcFramerTarget(seeds: SeedSet): FuzzTarget {
  // Streams of consecutive frames too, so a damaged frame is followed by ones to recover on.
  const frames = seeds.hdlcFrames;
  const streams: Uint8Array[] = [];
  for (let i = 0; i + 3 <= frames.length; i += 3) streams.push(concatBytes(frames.slice(i, i + 3)));
  return {
    name: 'hdlc-framer',
    seeds: [...frames, ...streams],
    run(input) {
      const framer = new HdlcFramer();
      let calls = 0;
      let accepted = true;
      const limit = loopBound(input);
      const hash = inputHash(input);
      for (const chunk of chunksOf(hash & REPAIR_BIT ? repairHdlcChecks(input) : input, hash)) {
        framer.push(chunk);
        for (;;) {
          if (++calls > limit) throw new FuzzInvariantError(`the HDLC framer answered ${calls} times for ${input.length} bytes: it does not consume its input`);
          const r = framer.next();
          if (r.kind === 'need-data') break;
          if (r.kind === 'error') {
            accepted = false;
            continue;
          }
          if ((r.frame.kind === 'SNRM' || r.frame.kind === 'UA') && r.frame.info.length > 0) decodeParameters(r.frame.info);
        }
      }
      if (framer.buffered > 2049 + 4096) throw new FuzzInvariantError(`the HDLC framer holds ${framer.buffered} bytes`);
      return accepted;
    },
  };
}

function hdlcFrameTarget(seeds: SeedSet): FuzzTarget {
  return {
    name: 'hdlc-frame',
    seeds: seeds.hdlcFrames,
    run(input) {
      const frame = decodeFrame(inputHash(input) & REPAIR_BIT ? repairHdlcChecks(input) : input);
      if ((frame.kind === 'SNRM' || frame.kind === 'UA') && frame.info.length > 0) decodeParameters(frame.info);
      return true;
    },
  };
}

function wrapperFramerTarget(seeds: SeedSet): FuzzTarget {
  const messages = seeds.wrapperMessages;
  const streams: Uint8Array[] = [];
  for (let i = 0; i + 3 <= messages.length; i += 3) streams.push(concatBytes(messages.slice(i, i + 3)));
  return {
    name: 'wrapper-framer',
    seeds: [...messages, ...streams],
    run(input) {
      const hash = inputHash(input);
      // The client's framer (any destination, 64 KiB) and the meter's (its own wPort, 1 KiB).
      const framer = hash & 4 ? new WrapperFramer(1024, [1]) : new WrapperFramer();
      let calls = 0;
      let accepted = true;
      const limit = loopBound(input);
      for (const chunk of chunksOf(input, hash)) {
        framer.push(chunk);
        for (;;) {
          if (++calls > limit)
            throw new FuzzInvariantError(`the wrapper framer answered ${calls} times for ${input.length} bytes: it does not consume its input`);
          const r = framer.next();
          if (r.kind === 'need-data') break;
          if (r.kind === 'error') accepted = false;
        }
      }
      if (framer.buffered > framer.maxApduSize + 8 + 4096) throw new FuzzInvariantError(`the wrapper framer holds ${framer.buffered} bytes`);
      return accepted;
    },
  };
}

function apduTarget(seeds: SeedSet): FuzzTarget {
  return {
    name: 'apdu',
    seeds: seeds.apdus,
    run(input) {
      // The decoder, then what the trace view shows a person of it.
      describeApdu(decodeApdu(input));
      return true;
    },
  };
}

function apduCipheredTarget(seeds: SeedSet): FuzzTarget {
  return {
    name: 'apdu-ciphered',
    seeds: seeds.ciphered,
    allowed: (err) => err instanceof CipheringError || err instanceof DecodeError,
    run(input) {
      // Service-specific ciphering takes the sender's title from the association: try both ends'.
      let failure: unknown = null;
      for (const peerSystemTitle of [TRACE_SERVER_TITLE, TRACE_CLIENT_TITLE]) {
        try {
          const d = decipherApdu(nodeCrypto, { keys: TRACE_KEYS, peerSystemTitle }, input);
          decodeApdu(d.plainApdu);
          return true;
        } catch (err) {
          if (!(err instanceof DlmsError)) throw err;
          failure = err;
        }
      }
      throw failure;
    },
  };
}

function axdrTarget(seeds: SeedSet): FuzzTarget {
  return {
    name: 'axdr',
    seeds: seeds.axdr,
    run(input) {
      const value = decodeDataBytes(input);
      // What was decoded must display and re-encode without anything but a typed refusal.
      formatValue(value);
      encodeDataBytes(value);
      return true;
    },
  };
}

function aareTarget(seeds: SeedSet): FuzzTarget {
  return {
    name: 'aare',
    seeds: seeds.acse,
    run(input) {
      const apdu = decodeApdu(input);
      describeApdu(apdu);
      if (apdu.kind === 'aare') {
        aareDiagnosticText(apdu);
        if (apdu.result !== 0) associationErrorFromAare(apdu);
      }
      if ('userInformation' in apdu && apdu.userInformation !== undefined) decodeUserInformation(apdu.userInformation);
      return true;
    },
  };
}

/** Meter input: byte 0 bit 0 picks the transport (0 HDLC, 1 wrapper); the rest is what the client sends. */
export const METER_TRANSPORT_BIT = 1;
/** Meters are rebuilt after this many inputs, so a SET or a counter moved by one input cannot pile up. */
export const METER_REUSE = 64;

function meterTarget(reuse: number): FuzzTarget {
  const seeds: Uint8Array[] = [];
  for (const s of recordedSessions()) seeds.push(concatBytes([Uint8Array.of(s.transport === 'wrapper' ? 1 : 0), ...s.messages]));
  // The traces' client streams: other addresses and passwords, refused in their own ways.
  const trace = traceMessages().filter((m) => m.dir === 'c2s');
  for (const framing of ['hdlc', 'wrapper'] as const) {
    const part = trace.filter((m) => m.framing === framing).map((m) => m.bytes);
    if (part.length > 0) seeds.push(concatBytes([Uint8Array.of(framing === 'wrapper' ? 1 : 0), ...part]));
  }
  let meter: VirtualMeter | null = null;
  let uses = 0;
  return {
    name: 'meter',
    seeds,
    run(input) {
      if (meter === null || uses >= reuse) {
        meter = createFuzzMeter();
        uses = 0;
      }
      uses++;
      const transport = (input[0] ?? 0) & METER_TRANSPORT_BIT ? 'wrapper' : 'hdlc';
      const connection = meter.connection(transport);
      const hash = inputHash(input);
      const stream = transport === 'hdlc' && hash & REPAIR_BIT ? repairHdlcChecks(input.subarray(1)) : input.subarray(1);
      const chunks = chunksOf(stream, hash);
      // Now and then the client falls silent past the meter's inactivity timeout half way through.
      const silentAt = hash & 0x10 ? chunks.length >> 1 : -1;
      let now = FUZZ_NOW;
      for (let i = 0; i < chunks.length; i++) {
        now += i === silentAt ? 130_000 : 20;
        connection.receive(chunks[i]!, now);
      }
      connection.tick(now + 1_000);
      const fault = connection.errors.find((e) => e.code === 'meter-fault');
      if (fault !== undefined) throw new FuzzInvariantError(`the meter failed internally: ${fault.message}`);
      return connection.errors.length === 0;
    },
  };
}

export interface TargetOptions {
  /** How many inputs share one virtual meter (1 = a fresh meter per input, as the replay test does). */
  readonly meterReuse?: number;
}

/** Every target, or those named, with their seeds. */
export function createTargets(names: readonly TargetName[] = TARGET_NAMES, options: TargetOptions = {}): FuzzTarget[] {
  const seeds = buildSeeds();
  const make: Record<TargetName, () => FuzzTarget> = {
    'hdlc-framer': () => hdlcFramerTarget(seeds),
    'hdlc-frame': () => hdlcFrameTarget(seeds),
    'wrapper-framer': () => wrapperFramerTarget(seeds),
    apdu: () => apduTarget(seeds),
    'apdu-ciphered': () => apduCipheredTarget(seeds),
    axdr: () => axdrTarget(seeds),
    aare: () => aareTarget(seeds),
    meter: () => meterTarget(options.meterReuse ?? METER_REUSE),
  };
  return names.map((n) => make[n]());
}

export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

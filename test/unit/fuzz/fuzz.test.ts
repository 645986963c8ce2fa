/**
 * The fuzzer's own tests: every saved regression input replays without an untyped exception and
 * within the time limit, a short seeded campaign per target finds nothing, campaigns reproduce
 * from their seed, and the engine does catch what it is there to catch.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../core/errors.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { createPrng } from '../../../core/meter/prng.js';
import { createFuzzMeter, FUZZ_NOW } from '../../fuzz/meter-setup.js';
import { recordedSessions } from '../../fuzz/seeds.js';
import { checkInput, runCampaign, SLOW_INPUT_MS } from '../../fuzz/engine.js';
import { repairHdlcChecks } from '../../fuzz/hdlc-checks.js';
import { applyMutation, MAX_INPUT, mutate, MUTATIONS } from '../../fuzz/mutate.js';
import { loadRegressions } from '../../fuzz/regressions.js';
import { FuzzRng, inputHash } from '../../fuzz/rng.js';
import { createTargets, FuzzInvariantError, TARGET_NAMES, type FuzzTarget } from '../../fuzz/targets.js';

// A fresh meter per input, as a regression must replay on its own.
const targets = createTargets(TARGET_NAMES, { meterReuse: 1 });
const byName = new Map(targets.map((t) => [t.name, t]));

describe('fuzz regression inputs', () => {
  for (const name of TARGET_NAMES) {
    const saved = loadRegressions(name);
    it.runIf(saved.length > 0)(`${name}: ${saved.length} saved input(s) give typed errors only`, () => {
      const target = byName.get(name)!;
      for (const { file, input } of saved) {
        const r = checkInput(target, input, SLOW_INPUT_MS * 2);
        expect({ file, kind: r.kind }).toEqual({ file, kind: 'ok' });
      }
    });
  }
});

describe('a short seeded campaign per target', () => {
  const COUNTS: Record<string, number> = { meter: 150, 'apdu-ciphered': 800, 'hdlc-framer': 800 };
  for (const target of targets) {
    it(`${target.name}: no failures`, () => {
      expect(target.seeds.length).toBeGreaterThan(0);
      // Every seed is run unmutated first, then mutations; the bound keeps the suite to seconds.
      const count = Math.max(COUNTS[target.name] ?? 1500, target.seeds.length + 50);
      const r = runCampaign(target, { seed: 20261122, count, slowMs: 1000 });
      expect(r.failures).toEqual([]);
      expect(r.inputs).toBe(count);
    });
  }
});

describe('the seeds', () => {
  it('every trace seed decodes as what it is before it is mutated', () => {
    // A seed that fails already would hide every mutation behind its first error.
    for (const name of ['hdlc-frame', 'wrapper-framer', 'hdlc-framer'] as const) {
      const t = byName.get(name)!;
      const refused = t.seeds.filter((s) => !t.run(s)).length;
      expect({ name, refused }).toEqual({ name, refused: 0 });
    }
    const apdu = byName.get('apdu')!;
    expect(
      apdu.seeds.filter((s) => {
        try {
          return apdu.run(s);
        } catch {
          return false;
        }
      }).length,
    ).toBeGreaterThan(20);
    const ciphered = byName.get('apdu-ciphered')!;
    expect(ciphered.seeds.length).toBeGreaterThan(10);
    expect(ciphered.seeds.every((s) => ciphered.run(s))).toBe(true);
  });

  it('the recorded meter sessions replay on a fresh meter without a link error', () => {
    const sessions = recordedSessions();
    expect(sessions.map((x) => x.name)).toEqual([
      'hdlc-ln-hls-gmac',
      'hdlc-ln-low-encrypted',
      'hdlc-ln-low',
      'hdlc-sn-low',
      'wrapper-ln-hls-gmac',
      'wrapper-ln-low-encrypted',
      'wrapper-ln-low',
      'wrapper-sn-low',
    ]);
    for (const session of sessions) {
      const connection = createFuzzMeter().connection(session.transport);
      let now = FUZZ_NOW;
      let answers = 0;
      for (const m of session.messages) answers += connection.receive(m, (now += 20)).length;
      expect({ name: session.name, errors: connection.errors.map((e) => e.message) }).toEqual({ name: session.name, errors: [] });
      // Every request is answered (HDLC: at least one frame each, more while a long answer is segmented).
      expect(answers).toBeGreaterThanOrEqual(session.messages.length);
    }
    expect(byName.get('meter')!.seeds.length).toBe(sessions.length + 2);
  });
});

describe('campaigns are reproducible', () => {
  it('the same seed gives the same inputs, another seed others', () => {
    const t = byName.get('axdr')!;
    const a = runCampaign(t, { seed: 5, count: 500 });
    const b = runCampaign(t, { seed: 5, count: 500 });
    const c = runCampaign(t, { seed: 6, count: 500 });
    expect(a.inputsDigest).toBe(b.inputsDigest);
    expect(a.accepted).toBe(b.accepted);
    expect(c.inputsDigest).not.toBe(a.inputsDigest);
  });

  it("FuzzRng is the project's mulberry32 on integers", () => {
    const rng = new FuzzRng(1);
    const reference = createPrng(1);
    for (let i = 0; i < 5; i++) expect(rng.u32()).toBe(reference() * 4294967296);
    expect(inputHash(Uint8Array.of(0x7e, 0xa0))).toBe(inputHash(Uint8Array.of(0x7e, 0xa0)));
    expect(inputHash(new Uint8Array(0))).toBe(0x811c9dc5);
  });
});

describe('mutations', () => {
  const seed = Uint8Array.of(0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e);

  it('each mutation changes the seed (or its length) and stays within MAX_INPUT', () => {
    const rng = new FuzzRng(3);
    for (const name of MUTATIONS) {
      let changed = 0;
      for (let i = 0; i < 50; i++) {
        const out = applyMutation(rng, name, seed, Uint8Array.of(1, 2, 3, 4));
        expect(out.length).toBeLessThanOrEqual(MAX_INPUT);
        if (out.length !== seed.length || out.some((b, j) => b !== seed[j])) changed++;
      }
      expect({ name, changed: changed > 25 }).toEqual({ name, changed: true });
    }
    expect(Array.from(seed)).toEqual([0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e]);
  });

  it('length-extreme writes one of the long-form lengths into the input', () => {
    const rng = new FuzzRng(9);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const out = applyMutation(rng, 'length-extreme', Uint8Array.of(0x11, 0x22, 0x33), new Uint8Array(0));
      const hex = Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex.includes('84ffffffff')) seen.add('84ffffffff');
      if (hex.includes('82ffff')) seen.add('82ffff');
      if (hex.includes('8f01')) seen.add('8f01');
    }
    expect([...seen].sort()).toEqual(['82ffff', '84ffffffff', '8f01']);
  });

  it('duplication stops at MAX_INPUT', () => {
    const rng = new FuzzRng(4);
    let big = new Uint8Array(MAX_INPUT - 10).fill(0x55);
    for (let i = 0; i < 20; i++) big = applyMutation(rng, 'duplicate', big, big) as Uint8Array<ArrayBuffer>;
    expect(big.length).toBe(MAX_INPUT);
    expect(mutate(rng, []).length).toBeLessThanOrEqual(MAX_INPUT);
  });
});

describe('HDLC checksum repair', () => {
  it('a frame damaged inside its information field decodes again once its HCS and FCS are recomputed', () => {
    const frame = byName.get('hdlc-frame')!.seeds.find((f) => f.length > 40)!;
    const damaged = frame.slice();
    damaged[30] = damaged[30]! ^ 0x40;
    expect(() => decodeFrame(damaged)).toThrow(DecodeError);
    const repaired = repairHdlcChecks(damaged);
    const decoded = decodeFrame(repaired);
    // Only the damaged byte and the two FCS bytes differ from the original; the input is not touched.
    const differ = Array.from(repaired.keys()).filter((i) => repaired[i] !== frame[i]);
    expect(differ.filter((i) => i !== 30 && i < frame.length - 3)).toEqual([]);
    expect(decoded.info.length).toBeGreaterThan(0);
    expect(damaged[frame.length - 3]).toBe(frame[frame.length - 3]);
    expect(repairHdlcChecks(frame)).toEqual(frame);
  });
});

describe('the engine catches what it must', () => {
  const fake = (run: (input: Uint8Array) => boolean): FuzzTarget => ({ name: 'axdr', seeds: [Uint8Array.of(1, 2, 3)], run });

  it('an untyped exception is a failure with the target, the seed and the input; a DecodeError is not', () => {
    const target = fake((input) => {
      if (input.length > 3) throw new TypeError('cannot read properties of undefined');
      if (input.length < 3) throw new DecodeError('short', 0);
      return true;
    });
    const r = runCampaign(target, { seed: 11, count: 400 });
    expect(r.failures.length).toBeGreaterThan(0);
    const f = r.failures[0]!;
    expect(f.target).toBe('axdr');
    expect(f.seed).toBe(11);
    expect(f.kind).toBe('exception');
    expect(f.detail).toMatch(/^TypeError: cannot read properties of undefined/);
    expect(f.inputHex.length / 2).toBeGreaterThan(3);
    expect(f.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(r.failures.every((x) => x.inputHex.length > 6)).toBe(true);
  });

  it('a FuzzInvariantError (a framer that loops, a hidden meter fault) is a failure', () => {
    const r = checkInput(
      fake(() => {
        throw new FuzzInvariantError('loops');
      }),
      Uint8Array.of(1),
    );
    expect(r.kind).toBe('exception');
  });

  it('an input slower than the limit, twice, is a failure', () => {
    const slow = fake(() => {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        /* busy */
      }
      return true;
    });
    const r = checkInput(slow, Uint8Array.of(1), 20);
    expect(r.kind).toBe('slow');
    expect(checkInput(slow, Uint8Array.of(1), 200).kind).toBe('ok');
  });

  it('apdu-ciphered allows only CipheringError and DecodeError', () => {
    const t = byName.get('apdu-ciphered')!;
    expect(t.allowed?.(new DecodeError('x', 0))).toBe(true);
    expect(t.allowed?.(new TypeError('x'))).toBe(false);
  });
});

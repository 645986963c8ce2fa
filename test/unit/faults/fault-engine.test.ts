/**
 * The fault engine itself: it cuts clean streams into whole frames and messages, each fault does
 * exactly what it says to a unit, and a seed gives the same faults every time.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../core/bytes.js';
import { FaultEngine, UnitCutter, type FaultPlan } from '../../faults/fault-proxy.js';

// Whole frames and messages as the faulted sessions saw them: an RR and an SNRM, a wrapper RLRQ and an empty message.
const RR = fromHex('7ea00703215111e47e');
const SNRM = fromHex('7ea0070321930f017e');
const WRAPPER_RLRQ = fromHex('00010010000100056203800100');
const WRAPPER_EMPTY = fromHex('0001001000010000');

interface Delivered {
  toMeter: Uint8Array[];
  toClient: Uint8Array[];
  resets: number;
}

async function run(plan: FaultPlan, fromClient: readonly Uint8Array[], fromMeter: readonly Uint8Array[] = []): Promise<Delivered & { engine: FaultEngine }> {
  const out: Delivered = { toMeter: [], toClient: [], resets: 0 };
  const engine = new FaultEngine(plan, {
    toMeter: (b) => out.toMeter.push(b.slice()),
    toClient: (b) => out.toClient.push(b.slice()),
    reset: () => out.resets++,
  });
  for (const c of fromClient) engine.fromClient(c);
  for (const c of fromMeter) engine.fromMeter(c);
  // Let the queued (and split, delayed) deliveries finish.
  await new Promise((r) => setTimeout(r, 150));
  return { ...out, engine };
}

const joined = (parts: readonly Uint8Array[]): string => toHex(concatBytes(parts));

describe('UnitCutter', () => {
  it('cuts HDLC frames by their length, across chunks, with stray bytes alone', () => {
    const cutter = new UnitCutter('hdlc');
    const stream = concatBytes([SNRM, fromHex('55'), RR]);
    expect(cutter.push(stream.subarray(0, 5))).toEqual([]);
    const units = cutter.push(stream.subarray(5));
    expect(units.map((u) => toHex(u))).toEqual([toHex(SNRM), '55', toHex(RR)]);
  });

  it('cuts wrapper messages by their header length', () => {
    const cutter = new UnitCutter('wrapper');
    const stream = concatBytes([WRAPPER_RLRQ, WRAPPER_EMPTY]);
    expect(cutter.push(stream.subarray(0, 9))).toEqual([]);
    expect(cutter.push(stream.subarray(9)).map((u) => toHex(u))).toEqual([toHex(WRAPPER_RLRQ), toHex(WRAPPER_EMPTY)]);
  });
});

describe('FaultEngine', () => {
  it('passes a clean line through unchanged', async () => {
    const r = await run({ seed: 1, framing: 'hdlc' }, [SNRM, RR], [RR]);
    expect(joined(r.toMeter)).toBe(toHex(concatBytes([SNRM, RR])));
    expect(joined(r.toClient)).toBe(toHex(RR));
    expect(r.engine.counts.unitsToMeter).toBe(2);
  });

  it('drop loses the unit; duplicate sends it twice; echo sends the client its own unit', async () => {
    expect((await run({ seed: 1, framing: 'hdlc', toMeter: { drop: 1 } }, [SNRM])).toMeter).toEqual([]);
    expect(joined((await run({ seed: 1, framing: 'hdlc', toMeter: { duplicate: 1 } }, [SNRM])).toMeter)).toBe(toHex(concatBytes([SNRM, SNRM])));
    const echoed = await run({ seed: 1, framing: 'hdlc', toMeter: { echo: 1 } }, [SNRM]);
    expect(joined(echoed.toClient)).toBe(toHex(SNRM));
    expect(joined(echoed.toMeter)).toBe(toHex(SNRM));
  });

  it('corrupt flips exactly one bit; noise puts 1 to 8 bytes before the unit; split keeps the bytes', async () => {
    const bad = concatBytes((await run({ seed: 3, framing: 'hdlc', toMeter: { corrupt: 1 } }, [SNRM])).toMeter);
    let bits = 0;
    for (let i = 0; i < SNRM.length; i++) for (let x = bad[i]! ^ SNRM[i]!; x; x &= x - 1) bits++;
    expect(bad.length).toBe(SNRM.length);
    expect(bits).toBe(1);

    const noisy = concatBytes((await run({ seed: 3, framing: 'hdlc', toMeter: { noise: 1 } }, [SNRM])).toMeter);
    expect(noisy.length - SNRM.length).toBeGreaterThanOrEqual(1);
    expect(noisy.length - SNRM.length).toBeLessThanOrEqual(8);
    expect(toHex(noisy.subarray(noisy.length - SNRM.length))).toBe(toHex(SNRM));

    const split = await run({ seed: 3, framing: 'hdlc', toMeter: { split: 1 } }, [SNRM]);
    expect(split.toMeter.length).toBeGreaterThan(1);
    expect(Math.max(...split.toMeter.map((p) => p.length))).toBeLessThanOrEqual(4);
    expect(joined(split.toMeter)).toBe(toHex(SNRM));
  });

  it('keeps order behind a delayed unit', async () => {
    const r = await run({ seed: 5, framing: 'hdlc', toMeter: { delay: 0.5 }, delayMs: [20, 40] }, [SNRM, RR, SNRM, RR, SNRM, RR]);
    expect(r.engine.counts.applied.delay).toBeGreaterThan(0);
    expect(joined(r.toMeter)).toBe(toHex(concatBytes([SNRM, RR, SNRM, RR, SNRM, RR])));
  });

  it('resets right after the Nth unit from the meter, and delivers nothing after', async () => {
    const r = await run({ seed: 1, framing: 'hdlc', resetAfterUnits: 2 }, [], [RR, SNRM, RR, SNRM]);
    expect(r.resets).toBe(1);
    expect(joined(r.toClient)).toBe(toHex(concatBytes([RR, SNRM])));
  });

  it('makes the same decisions for the same seed, and others for another', async () => {
    const plan = (seed: number): FaultPlan => ({ seed, framing: 'hdlc', toMeter: { drop: 0.3, corrupt: 0.3, duplicate: 0.3 } });
    const units = Array.from({ length: 40 }, (_, i) => (i % 2 ? SNRM : RR));
    const a = await run(plan(11), units);
    const b = await run(plan(11), units);
    const c = await run(plan(12), units);
    expect(joined(a.toMeter)).toBe(joined(b.toMeter));
    expect(a.engine.counts).toEqual(b.engine.counts);
    expect(joined(a.toMeter)).not.toBe(joined(c.toMeter));
  });
});

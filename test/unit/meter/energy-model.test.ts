import { describe, expect, it } from 'vitest';
import {
  ActiveExport,
  ActiveImport,
  ActiveImportTariff1,
  ActiveImportTariff2,
  EnergyModel,
  ReactiveExport,
  ReactiveImport,
  type EnergyChannel,
} from '../../../core/meter/energy-model.js';
import { seeded } from './meter-client.js';

const INSTALLED = Date.UTC(2020, 0, 1);
const model = (seed: number) => new EnergyModel({ seed, installedAt: INSTALLED, timeZone: -60 });
const CHANNELS: EnergyChannel[] = [ActiveImport, ActiveExport, ReactiveImport, ReactiveExport, ActiveImportTariff1, ActiveImportTariff2];

describe('the energy model behind the meter', () => {
  it('is a pure function of the seed and the instant, whatever the order of questions', () => {
    const a = model(3);
    const b = model(3);
    const rnd = seeded(1);
    const instants = Array.from({ length: 300 }, () => INSTALLED + Math.floor(rnd() * 7 * 365 * 86_400_000));
    const forward = instants.map((t) => a.energyAt(ActiveImport, t));
    const backward = [...instants]
      .reverse()
      .map((t) => b.energyAt(ActiveImport, t))
      .reverse();
    expect(backward).toEqual(forward);
    expect(model(4).energyAt(ActiveImport, instants[0]!)).not.toBe(forward[0]);
  });

  it('keeps every counter growing, also across midnight', () => {
    const m = model(11);
    const rnd = seeded(2);
    for (const channel of CHANNELS) {
      let t = Date.UTC(2026, 0, 1);
      let last = m.energyAt(channel, t);
      for (let i = 0; i < 3000; i++) {
        t += Math.floor(rnd() * 1_800_000);
        const v = m.energyAt(channel, t);
        expect(v).toBeGreaterThanOrEqual(last);
        last = v;
      }
    }
    const midnight = Date.UTC(2026, 5, 1);
    expect(m.energyAt(ActiveImport, midnight)).toBeGreaterThanOrEqual(m.energyAt(ActiveImport, midnight - 1));
  });

  it('splits import into the two tariffs and never imports and exports in the same slot', () => {
    const m = model(5);
    const t = Date.UTC(2026, 10, 22, 12);
    const total = m.energyAt(ActiveImport, t);
    expect(m.energyAt(ActiveImportTariff1, t) + m.energyAt(ActiveImportTariff2, t)).toBeCloseTo(total, 3);
    const p = new Float64Array(6);
    for (let slot = Math.floor(t / 900_000); slot < Math.floor(t / 900_000) + 2000; slot++) {
      m.slotPower(slot, p);
      expect(p[ActiveImport]! === 0 || p[ActiveExport]! === 0).toBe(true);
    }
  });

  it('gives a household-sized consumption and grid-like instantaneous values', () => {
    const m = model(9);
    const day = Date.UTC(2026, 10, 10);
    const daily = (m.energyAt(ActiveImport, day + 86_400_000) - m.energyAt(ActiveImport, day)) / 1000;
    expect(daily).toBeGreaterThan(2);
    expect(daily).toBeLessThan(40);
    const rnd = seeded(3);
    for (let i = 0; i < 500; i++) {
      const v = m.instantaneous(day + Math.floor(rnd() * 86_400_000));
      for (const u of v.voltage) {
        expect(u).toBeGreaterThan(215);
        expect(u).toBeLessThan(245);
      }
      expect(Math.abs(v.frequency - 50)).toBeLessThan(0.1);
      expect(v.powerFactor).toBeGreaterThan(0.5);
      expect(v.powerFactor).toBeLessThanOrEqual(1);
      expect(v.activeImport === 0 || v.activeExport === 0).toBe(true);
    }
  });
});

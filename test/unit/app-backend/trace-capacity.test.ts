import { describe, expect, it } from 'vitest';
import { TraceRegistry, traceCapacity } from '../../../electron/services/app/traces.js';
import type { AppConfig } from '../../../core/app/schema.js';

const SNRM = new Uint8Array([0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e]);

describe('frame traces stay bounded', () => {
  it('shares 20 000 frames among the connections, 500 to 5000 each', () => {
    expect(traceCapacity(1)).toBe(5000);
    expect(traceCapacity(4)).toBe(5000);
    expect(traceCapacity(10)).toBe(2000);
    expect(traceCapacity(30)).toBe(666);
    expect(traceCapacity(100)).toBe(500);
  });

  it('keeps the newest frames of each connection within its share, and numbers them on', () => {
    const registry = new TraceRegistry(() => {});
    const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
    for (const id of ids) {
      const t = registry.trace(id, 'hdlc', []);
      for (let i = 0; i < 1000; i++) t.record(i % 2 === 0 ? 'tx' : 'rx', SNRM, i);
    }
    for (const link of registry.links()) expect(link).toEqual({ connectionId: link.connectionId, entries: 666, lastSeq: 1000 });
    const views = registry.get('c0')!.views();
    expect(views[0]!.seq).toBe(335);
    expect(views.at(-1)!.seq).toBe(1000);
    expect(views[0]!.hex).toBe('7ea0070321930f017e');

    // Fewer connections: each may keep more from now on.
    registry.prune({ connections: [{ id: 'c0' }] } as unknown as AppConfig);
    const t = registry.get('c0')!;
    for (let i = 0; i < 6000; i++) t.record('tx', SNRM, i);
    expect(registry.links()).toEqual([{ connectionId: 'c0', entries: 5000, lastSeq: 7000 }]);
    registry.close();
  });
});

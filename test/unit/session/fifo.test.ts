import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../core/fifo.js';

describe("the links' queue (Fifo)", () => {
  it('gives items back in the order they came, then undefined', () => {
    const q = new Fifo<number>();
    q.push(1, 2);
    q.push(3);
    expect(q.length).toBe(3);
    expect([q.shift(), q.shift()]).toEqual([1, 2]);
    q.push(4);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([3, 4, undefined]);
    expect(q.length).toBe(0);
  });

  it('keeps the order across many pushes and shifts interleaved, against an array as the model', () => {
    const q = new Fifo<number>();
    const model: number[] = [];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (seed % 3 === 0) {
        expect(q.shift()).toBe(model.shift());
      } else {
        q.push(i);
        model.push(i);
      }
      expect(q.length).toBe(model.length);
    }
  });

  it('clear empties it', () => {
    const q = new Fifo<string>();
    q.push('a', 'b');
    q.clear();
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});

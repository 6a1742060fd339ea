import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Coalescer', () => {
  it('writes at once when idle and batches what arrives while a write is in flight, each with its own result', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(async (items) => {
      batches.push(items);
      await tick();
      return items.map((i) => i * 10);
    }, { maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4].map((i) => c.write(i)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts two items with a shared key in one batch', async () => {
    const batches: string[][] = [];
    const c = new Coalescer<string, string>(async (items) => {
      batches.push(items);
      await tick();
      return items;
    }, { maxInFlight: 1, keysOf: (s) => [s[0]!] });
    await Promise.all(['a1', 'b1', 'a2', 'c1', 'a3', 'b2'].map((s) => c.write(s)));
    expect(batches).toEqual([['a1'], ['b1', 'a2', 'c1'], ['a3', 'b2']]);
  });

  it('retries a failed batch one item at a time, so only the bad item fails', async () => {
    const c = new Coalescer<number, number>(async (items) => {
      await tick();
      if (items.includes(3)) throw new Error('bad row 3');
      return items;
    }, { maxInFlight: 1 });
    const first = c.write(0);
    const rest = [1, 2, 3, 4].map((i) => c.write(i).then((v) => `ok ${v}`, (e: Error) => e.message));
    await first;
    expect(await Promise.all(rest)).toEqual(['ok 1', 'ok 2', 'bad row 3', 'ok 4']);
  });
});

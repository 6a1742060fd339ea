import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';

const draw = (seed: number, count: number): number[] => Array.from({ length: count }, seededRandom(seed));

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(42, 100)).not.toEqual(draw(43, 100));
  });

  it('spreads its numbers evenly over [0, 1)', () => {
    const values = draw(7, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]!++;
    // Binomial(20000, 0.1): sd ≈ 42; 5 sd either side.
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(212);
  });
});

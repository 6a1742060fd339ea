import { describe, expect, it } from 'vitest';
import { ksTwoSample } from './ks-test.js';

// A fixed generator, so the figures below are the same on every run.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ksTwoSample', () => {
  it('finds the largest gap of a small hand-checked pair', () => {
    // At 5: all of the first sample, half of the second. Kolmogorov's Q at
    // (sqrt(30/11) + 0.12 + 0.11 / sqrt(30/11)) * 0.5 is about 0.37.
    const { d, p } = ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(d).toBeCloseTo(0.5, 10);
    expect(p).toBeCloseTo(0.367, 2);
  });

  it('does not tell two samples of one distribution apart, and does tell a shift of a tenth of a spread', () => {
    const rand = lcg(42);
    const same = ksTwoSample(Array.from({ length: 2000 }, rand), Array.from({ length: 2000 }, rand));
    expect(same.p).toBeGreaterThan(0.01);
    const shifted = ksTwoSample(Array.from({ length: 2000 }, rand), Array.from({ length: 2000 }, () => rand() + 0.1));
    expect(shifted.d).toBeGreaterThan(0.08);
    expect(shifted.p).toBeLessThan(1e-6);
  });

  it('handles ties and refuses empty samples', () => {
    expect(ksTwoSample([1, 1, 1], [1, 1, 1])).toEqual({ d: 0, p: 1 });
    expect(() => ksTwoSample([], [1])).toThrow(/both samples/);
  });
});

import { describe, expect, it } from 'vitest';
import { splitOf } from './split-of.js';

describe('splitOf', () => {
  it('puts about the asked fraction in validation, the same way every time', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => String(1_267_196_520_354_295_808n + BigInt(i) * 7919n));
    const val = ids.filter((id) => splitOf('x', id, 0.1, 0) === 'val');
    // Binomial(20000, 0.1): sd ≈ 42; 5 sd either side.
    expect(val.length).toBeGreaterThan(2000 - 212);
    expect(val.length).toBeLessThan(2000 + 212);
    expect(ids.filter((id) => splitOf('x', id, 0.1, 0) === 'val')).toEqual(val);
  });

  it('depends on the seed', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => String(i));
    const a = ids.filter((id) => splitOf('x', id, 0.2, 0) === 'val');
    const b = ids.filter((id) => splitOf('x', id, 0.2, 1) === 'val');
    expect(a).not.toEqual(b);
  });
});

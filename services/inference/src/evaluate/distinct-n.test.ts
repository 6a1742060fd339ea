import { describe, expect, it } from 'vitest';
import { distinctN } from './distinct-n.js';

describe('distinctN', () => {
  it('counts distinct word n-grams over all of them, across texts', () => {
    const texts = ['the cat sat', 'the cat ran'];
    // the cat sat the cat ran: 4 distinct of 6.
    expect(distinctN(texts, 1)).toBeCloseTo(4 / 6);
    // the cat, cat sat, the cat, cat ran: 3 distinct of 4.
    expect(distinctN(texts, 2)).toBeCloseTo(3 / 4);
    expect(distinctN(texts, 3)).toBe(1);
    expect(distinctN(['a a a a'], 1)).toBe(1 / 4);
    expect(distinctN(['a a a a'], 2)).toBe(1 / 3);
  });

  it('folds case and splits on any whitespace', () => {
    expect(distinctN(['The the\tTHE\n\nthe'], 1)).toBe(1 / 4);
    expect(distinctN(['  Big  news ', 'big\u00a0NEWS'], 2)).toBe(1 / 2);
  });

  it('does not join the end of one text to the start of the next', () => {
    // Were the texts run together there would be a third bigram, "b c".
    expect(distinctN(['a b', 'c d'], 2)).toBe(1);
    expect(distinctN(['a b', 'a b'], 2)).toBe(1 / 2);
  });

  it('is 0 with no n-grams, and refuses an n that is not a whole number ≥ 1', () => {
    expect(distinctN([], 1)).toBe(0);
    expect(distinctN(['', '   '], 1)).toBe(0);
    expect(distinctN(['one two'], 3)).toBe(0);
    expect(() => distinctN(['a b'], 0)).toThrow(RangeError);
    expect(() => distinctN(['a b'], 1.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { CHAR_NGRAM_FEATURE_BITS, charNgramFeatures } from './char-ngram-features.js';

const norm = (values: Float32Array): number => Math.hypot(...values);

describe('charNgramFeatures', () => {
  it('gives every text a unit-length vector of distinct slots within the feature space', () => {
    for (const text of ['', 'a', 'hello world', 'Ｈｉ 👋🏽 @friend https://t.co/x', 'x'.repeat(280)]) {
      const { indices, values } = charNgramFeatures(text);
      expect(new Set(indices).size, text).toBe(indices.length);
      expect(Math.min(...indices)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...indices)).toBeLessThan(2 ** CHAR_NGRAM_FEATURE_BITS);
      expect(norm(values), text).toBeCloseTo(1, 5);
    }
  });

  it('weighs repeats sublinearly, 1 + ln of the count', () => {
    // "aaaa" between its start and end marks ^aaaa$: a ×4, aa ×3, aaa ×2; aaaa, ^, $, ^a, a$,
    // ^aa, aa$, ^aaa, aaa$ once each. Twelve n-grams, the commonest weighing 1 + ln 4 times the rarest.
    const { indices, values } = charNgramFeatures('aaaa');
    expect(indices.length).toBe(12);
    const rarest = Math.min(...values);
    const weights = [...values].map((v) => v / rarest).sort((x, y) => y - x);
    [1 + Math.log(4), 1 + Math.log(3), 1 + Math.log(2), 1].forEach((weight, k) => expect(weights[k]).toBeCloseTo(weight, 5));
    expect(weights.slice(3).every((w) => Math.abs(w - 1) < 1e-5)).toBe(true);
  });

  it('is the same for the same text and differs with order, case and characters', () => {
    const a = charNgramFeatures('Good morning!');
    expect(charNgramFeatures('Good morning!')).toEqual(a);
    const overlap = (text: string): number => {
      const b = charNgramFeatures(text);
      const slots = new Map([...b.indices].map((slot, k) => [slot, b.values[k]!]));
      return [...a.indices].reduce((sum, slot, k) => sum + a.values[k]! * (slots.get(slot) ?? 0), 0);
    };
    expect(overlap('Good morning!')).toBeCloseTo(1, 5);
    expect(overlap('good morning!')).toBeLessThan(0.95);
    expect(overlap('morning Good!')).toBeLessThan(0.9);
    expect(overlap('Tax day: 42% off?')).toBeLessThan(0.3);
  });
});

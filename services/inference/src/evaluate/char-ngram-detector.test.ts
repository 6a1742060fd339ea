import { describe, expect, it } from 'vitest';
import { detectorAccuracy } from './char-ngram-detector.js';
import { seededRandom } from './seeded-random.js';

const SUBJECTS = ['the team', 'our founder', 'my neighbour', 'the senator', 'every investor', 'this startup', 'the hospital', 'a reporter'];
const VERBS = ['announced', 'shipped', 'questioned', 'defended', 'celebrated', 'ignored', 'funded', 'explained'];
const OBJECTS = ['a new product', 'the budget', 'our latest round', 'the vaccine plan', 'their hiring freeze', 'the election results', 'remote work'];
const TAILS = ['today.', 'again!', 'this morning.', 'after months of work.', 'and nobody noticed.', 'on live TV.', '— wild times.', 'at last.'];

/** Tweet-like sentences from a small grammar, the same ones for the same seed. */
function sentences(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = (words: string[]): string => words[Math.floor(random() * words.length)]!;
  return Array.from({ length: count }, () => {
    const text = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`;
    return text[0]!.toUpperCase() + text.slice(1);
  });
}

/** The same characters in a random order: identical letter counts, nothing like a sentence. */
function scrambled(texts: string[], seed: number): string[] {
  const random = seededRandom(seed);
  return texts.map((text) => {
    const chars = [...text];
    for (let i = chars.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return chars.join('');
  });
}

describe('detectorAccuracy', () => {
  it('tells sentences from their scrambled characters, which single letters alone cannot', () => {
    const result = detectorAccuracy(sentences(400, 1), scrambled(sentences(400, 2), 3), { seed: 0 });
    expect(result.accuracy).toBeGreaterThan(0.9);
    expect(result).toMatchObject({ trainSize: 400, testSize: 400 });
  });

  it('is near a coin toss when both classes come from the same source', () => {
    for (const seed of [0, 1]) {
      const { accuracy } = detectorAccuracy(sentences(500, 10 + seed), sentences(500, 20 + seed), { seed });
      // 500 held out: a coin toss has sd ≈ 0.022, so this is about 7 sd either side.
      expect(accuracy).toBeGreaterThan(0.35);
      expect(accuracy).toBeLessThan(0.65);
    }
  });

  it('gives the same answer for the same seed, and another split for another', () => {
    const human = sentences(300, 4);
    const machine = sentences(300, 5);
    const results = [1, 2, 3].map((seed) => detectorAccuracy(human, machine, { seed }));
    expect(detectorAccuracy(human, machine, { seed: 1 })).toEqual(results[0]);
    expect(detectorAccuracy(human, machine, { seed: 1, epochs: 1 })).not.toEqual(detectorAccuracy(human, machine, { seed: 1, epochs: 3 }));
    expect(new Set(results.map((r) => r.accuracy)).size).toBeGreaterThan(1);
  });

  it('cuts the larger class to the size of the smaller, so guessing it cannot score', () => {
    // 900 sentences against 60 scrambled: 60 of each, 30 + 30 to train on and 30 + 30 to test.
    const result = detectorAccuracy(sentences(900, 6), scrambled(sentences(60, 7), 8), { seed: 0 });
    expect(result).toMatchObject({ trainSize: 60, testSize: 60 });
    expect(result.accuracy).toBeGreaterThan(0.9);
    expect(detectorAccuracy(sentences(7, 6), sentences(9, 7))).toMatchObject({ trainSize: 6, testSize: 8 });
  });

  it('refuses classes too small to split, and a number of epochs that is not a whole ≥ 1', () => {
    expect(() => detectorAccuracy(['one'], sentences(10, 1))).toThrow(/at least 2 texts of each class/);
    expect(() => detectorAccuracy(sentences(10, 1), sentences(10, 2), { epochs: 0 })).toThrow(RangeError);
  });
});

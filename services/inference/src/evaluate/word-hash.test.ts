import { describe, expect, it } from 'vitest';
import { hashWords } from './word-hash.js';

describe('hashWords', () => {
  it('hashes a run of words as the words joined by spaces', () => {
    const words = ['we', 'are', 'hiring', 'engineers', 'today'];
    expect(hashWords(words, 1, 4)).toBe(hashWords(['are', 'hiring', 'engineers']));
    expect(hashWords(words, 1, 4)).toBe(hashWords(['are hiring engineers']));
    expect(hashWords(words, 1, 4)).not.toBe(hashWords(words, 0, 3));
    expect(hashWords(['ab', 'c'])).not.toBe(hashWords(['a', 'bc']));
    expect(hashWords(['a', 'b'])).not.toBe(hashWords(['b', 'a']));
  });

  it('gives distinct whole numbers up to 2^53 for distinct texts', () => {
    const hashes = Array.from({ length: 100_000 }, (_, i) => hashWords(['tweet', String(i)]));
    expect(hashes.filter((h) => !Number.isSafeInteger(h) || h < 0)).toEqual([]);
    expect(new Set(hashes).size).toBe(100_000);
    // All 53 bits in use, not only the low 32.
    expect(hashes.some((h) => h > 2 ** 52)).toBe(true);
  });
});

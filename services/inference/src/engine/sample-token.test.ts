import { describe, expect, it } from 'vitest';
import { sampleToken } from './sample-token.js';
import type { SamplingParams } from './sampling-params.js';
import { SequenceRng } from './sequence-rng.js';

const EOT = 50256;
const base: SamplingParams = { maxNewTokens: 10, minLength: 0, temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 };

/** A vocabulary-sized row of logits, flat except for the given tokens. */
function logits(peaks: Record<number, number>, floor = -20): Float32Array {
  const row = new Float32Array(50257).fill(floor);
  for (const [id, value] of Object.entries(peaks)) row[Number(id)] = value;
  return row;
}

function draws(peaks: Record<number, number>, params: Partial<SamplingParams>, n = 2000, history: number[] = [EOT]): Map<number, number> {
  const rng = new SequenceRng(1);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const t = sampleToken(logits(peaks), history, { ...base, ...params }, rng);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

describe('sampleToken', () => {
  it('picks the best token at temperature 0', () => {
    expect(sampleToken(logits({ 5: 3, 9: 2.9 }), [EOT], { ...base, temperature: 0 }, new SequenceRng(0))).toBe(5);
  });

  it('draws in proportion to the softmax', () => {
    const counts = draws({ 1: Math.log(3), 2: 0 }, {});
    const share = counts.get(1)! / 2000;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it('keeps only the k best with top_k', () => {
    const counts = draws({ 1: 1, 2: 0.9, 3: 0.8, 4: 0.7 }, { topK: 2 });
    expect([...counts.keys()].sort()).toEqual([1, 2]);
  });

  it('keeps the smallest set reaching top_p', () => {
    // Probabilities ~0.5, 0.3, 0.2: top_p 0.75 keeps the first two.
    const counts = draws({ 1: Math.log(5), 2: Math.log(3), 3: Math.log(2) }, { topP: 0.75 });
    expect([...counts.keys()].sort()).toEqual([1, 2]);
  });

  it('bars end-of-text until min_length tokens', () => {
    const row = { [EOT]: 5, 7: 0 };
    expect(sampleToken(logits(row), [EOT, 1, 2], { ...base, temperature: 0, minLength: 5 }, new SequenceRng(0))).toBe(7);
    expect(sampleToken(logits(row), [EOT, 1, 2, 3, 4], { ...base, temperature: 0, minLength: 5 }, new SequenceRng(0))).toBe(EOT);
  });

  it('makes tokens already in the sequence less likely with repetition_penalty', () => {
    const row = { 1: 2, 2: 1.5 };
    expect(sampleToken(logits(row), [EOT, 1], { ...base, temperature: 0 }, new SequenceRng(0))).toBe(1);
    expect(sampleToken(logits(row), [EOT, 1], { ...base, temperature: 0, repetitionPenalty: 1.5 }, new SequenceRng(0))).toBe(2);
  });

  it('draws the same tokens for the same seed', () => {
    const a = new SequenceRng(42);
    const b = new SequenceRng(42);
    const row = { 1: 1, 2: 1, 3: 1, 4: 1 };
    const seqA = Array.from({ length: 50 }, () => sampleToken(logits(row), [EOT], base, a));
    const seqB = Array.from({ length: 50 }, () => sampleToken(logits(row), [EOT], base, b));
    expect(seqA).toEqual(seqB);
    expect(new Set(seqA).size).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { memorizationRate, TrainingIndex } from './memorization.js';

const training = [
  'Founders: the best time to raise money is when you do not need it. Build revenue first and investors will follow.',
  'Wash your hands, stay home and check on your neighbours tonight.',
  'Thank you!',
  '...',
];

describe('TrainingIndex', () => {
  const index = new TrainingIndex(training);

  it('knows a training tweet again whatever its case, spacing and trailing punctuation', () => {
    expect(index.isCopy('wash your hands,  stay home and check on your NEIGHBOURS tonight')).toBe(true);
    expect(index.isCopy('Thank   you…')).toBe(true);
    expect(index.isCopy('Wash your hands, stay home and check on your neighbours tomorrow.')).toBe(false);
    expect(index.isCopy('Thank you for coming!')).toBe(false);
  });

  it('does not call an empty or punctuation-only sample a copy', () => {
    expect(index.isCopy('')).toBe(false);
    expect(index.isCopy('!!')).toBe(false);
  });

  it('finds a run of 8 words from a training tweet inside a new one, punctuation aside', () => {
    // "the best time to raise money is when" — 8 words from the first tweet.
    expect(index.sharesLongSpan('Honestly? The best time to raise money is WHEN the market is hot.')).toBe(true);
    expect(index.sharesLongSpan('Build revenue first, and investors will follow, says everyone')).toBe(false);
    // 7 words in common is not enough.
    expect(index.sharesLongSpan('I think the best time to raise money is never')).toBe(false);
    expect(index.sharesLongSpan('Stay home and check on your neighbours, wash your hands')).toBe(false);
    expect(index.sharesLongSpan('Stay home and check on your neighbours tonight, wash your hands')).toBe(true);
  });

  it('answers for longer runs, and refuses runs shorter than it indexed', () => {
    const text = 'So: the best time to raise money is when you do not care';
    expect(index.sharesLongSpan(text, 11)).toBe(true);
    expect(index.sharesLongSpan(text, 12)).toBe(false);
    expect(() => index.sharesLongSpan(text, 5)).toThrow(RangeError);
    const short = new TrainingIndex(training, { spanWords: 5 });
    expect(short.sharesLongSpan('please, and check on your neighbours')).toBe(true);
    expect(index.sharesLongSpan('please, and check on your neighbours')).toBe(false);
  });
});

describe('memorizationRate', () => {
  it('counts copies and long shared runs apart, and their share of all samples', () => {
    const index = new TrainingIndex(training);
    const result = memorizationRate(
      [
        'WASH YOUR HANDS, STAY HOME AND CHECK ON YOUR NEIGHBOURS TONIGHT!!',
        'My take: the best time to raise money is when you do not need it, obviously',
        'Markets rallied today after a quiet week of trading.',
        'Founders should talk to customers every single week.',
      ],
      index,
    );
    expect(result).toEqual({ copies: 1, overlaps: 1, rate: 0.5 });
  });

  it('flags nothing in text unrelated to the training tweets, and is 0 with no samples', () => {
    const index = new TrainingIndex(training);
    const unrelated = ['The weather in Lisbon is lovely this time of year, says my aunt.', 'New album out Friday, preorder now!'];
    expect(memorizationRate(unrelated, index)).toEqual({ copies: 0, overlaps: 0, rate: 0 });
    expect(memorizationRate([], index)).toEqual({ copies: 0, overlaps: 0, rate: 0 });
  });

  it('takes its training tweets from any iterable, once through', () => {
    function* tweets(): Generator<string> {
      yield* training;
    }
    expect(memorizationRate(['thank you'], new TrainingIndex(tweets())).copies).toBe(1);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModelFolder } from '../../test/model-folder.js';
import { ContinuousBatcher } from '../engine/continuous-batcher.js';
import { Gpt2Onnx } from '../engine/gpt2-onnx.js';
import type { SamplingParams } from '../engine/sampling-params.js';
import { TrainingIndex } from '../evaluate/memorization.js';
import type { LoadedModel } from '../models/loaded-model.js';
import { generateMachineTweets } from './generate-machine-tweets.js';
import { machineTweetRejection } from './machine-tweet-filter.js';

// The test model ends a text about one step in ten (see initModelFolder's eosLogit), so some of
// 24 sequences run into the 16-token cap and some end by themselves.
const sampling = (seed: number): SamplingParams => ({ maxNewTokens: 16, minLength: 0, temperature: 1, topK: 50, topP: 0.95, repetitionPenalty: 1, seed });

describe('generateMachineTweets', () => {
  let dir: string;
  let model: LoadedModel;
  const tokenizer = new Gpt2Tokenizer();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ttt-pool-'));
    const folder = await initModelFolder(join(dir, 'model'), { config: 'tiny', seed: 41, eosLogit: 2 });
    const batcher = new ContinuousBatcher(await Gpt2Onnx.load(folder, { precision: 'int8', threads: 2 }), { name: 'pool-test', maxBatch: 16, maxQueue: 100 });
    model = { row: { id: 1 } as LoadedModel['row'], name: 'gpt2-twitter-test@1', batcher, lastUsed: 0 };
  }, 120_000);

  afterAll(async () => {
    await model?.batcher.drain();
    await rm(dir, { recursive: true, force: true });
  });

  const counter = () => {
    let next = 0;
    return () => next++;
  };

  it('refuses verbatim copies of training tweets and counts them, keeping everything else that passes', async () => {
    // What the model says for seeds 0..23, unfiltered.
    const said = await generateMachineTweets(model, tokenizer, new TrainingIndex([]), sampling, { count: 24, maxAttempts: 24, filter: false, seed: counter() });
    const texts = said.accepted.map((t) => t.text);
    const ends = said.accepted.map((t) => t.finishReason);
    // Half of it was, as far as the pool knows, in the training data (in another case and spacing).
    const training = texts.slice(0, 12).map((t) => `  ${t.toUpperCase()} `);
    const index = new TrainingIndex(training);
    const wouldPass = texts.map((t, i) => machineTweetRejection(t, new TrainingIndex([]), ends[i]!) === null);
    const copies = wouldPass.slice(0, 12).filter(Boolean).length;
    expect(copies).toBeGreaterThan(0);
    const truncated = ends.filter((e) => e === 'length').length;
    expect(truncated).toBeGreaterThan(0);

    const filtered = await generateMachineTweets(model, tokenizer, index, sampling, { count: 24, maxAttempts: 24, filter: true, seed: counter() });
    expect(filtered.rejected.training_copy).toBe(copies);
    // Sequences cut off at the cap are refused as truncated: in the game they would read unfinished.
    expect(filtered.rejected.truncated).toBe(truncated);
    expect(filtered.accepted.map((t) => t.text)).toEqual(texts.slice(12).filter((_, i) => wouldPass[12 + i]));
    expect(filtered.accepted.every((t) => t.sampling.seed !== undefined && t.tokenCount > 0)).toBe(true);
  });

  it('stops after its attempts when too little passes, saying why in the counts', async () => {
    // One token is never 20 characters of substance: ask for tweets it cannot make.
    const strict = await generateMachineTweets(model, tokenizer, new TrainingIndex([]), (seed) => ({ ...sampling(seed), maxNewTokens: 1, minLength: 2 }), {
      count: 10,
      maxAttempts: 20,
      filter: true,
      seed: counter(),
    });
    expect(strict.generated).toBe(20);
    expect(strict.accepted.length).toBeLessThan(10);
    expect(Object.values(strict.rejected).reduce((a, b) => a + b, 0)).toBe(20 - strict.accepted.length);
  });
});

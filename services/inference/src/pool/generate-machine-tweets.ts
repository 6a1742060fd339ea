import { randomInt } from 'node:crypto';
import { END_OF_TEXT_ID, type Gpt2Tokenizer } from '@ttt/tokenizer';
import { cleanTweetText } from '@ttt/text';
import type { SamplingParams } from '../engine/sampling-params.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { TrainingIndex } from '../evaluate/memorization.js';
import { machineTweetRejection } from './machine-tweet-filter.js';
import type { NewMachineTweet } from './pool.repository.js';
import { samplingRecord } from './pool-sampling.js';

export interface MachineTweetBatch {
  /** With how each sequence ended: by itself, or at max_new_tokens. */
  accepted: Array<NewMachineTweet & { finishReason: 'eos' | 'length' }>;
  rejected: Record<string, number>;
  generated: number;
}

// Sequences submitted together: enough to fill a good part of a batch, few enough that player
// requests arriving meanwhile still find room in it.
const WAVE = 16;

/**
 * Generates until `count` machine tweets pass the filters or `maxAttempts` sequences were
 * tried, counting each rejection by reason.
 */
export async function generateMachineTweets(
  model: LoadedModel,
  tokenizer: Gpt2Tokenizer,
  training: TrainingIndex,
  sampling: (seed: number) => SamplingParams,
  options: { count: number; maxAttempts: number; filter: boolean; onProgress?: (accepted: number) => void; seed?: () => number },
): Promise<MachineTweetBatch> {
  const out: MachineTweetBatch = { accepted: [], rejected: {}, generated: 0 };
  while (out.accepted.length < options.count && out.generated < options.maxAttempts) {
    const n = Math.min(WAVE, options.maxAttempts - out.generated);
    const nextSeed = options.seed ?? (() => randomInt(2 ** 31));
    const params = Array.from({ length: n }, () => sampling(nextSeed()));
    const results = await Promise.all(params.map((p) => model.batcher.submit([END_OF_TEXT_ID], p)));
    out.generated += n;
    results.forEach((r, i) => {
      const text = cleanTweetText(tokenizer.decode(r.ids));
      const reason = options.filter ? machineTweetRejection(text, training, r.finishReason) : null;
      if (reason) out.rejected[reason] = (out.rejected[reason] ?? 0) + 1;
      else if (out.accepted.length < options.count) out.accepted.push({ text, sampling: samplingRecord(params[i]!), tokenCount: r.ids.length, finishReason: r.finishReason });
    });
    options.onProgress?.(out.accepted.length);
  }
  return out;
}

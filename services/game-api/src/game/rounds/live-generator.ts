import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Config } from '../../config.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { InferenceClient } from '../inference/inference.client.js';
import type { Edition } from '../editions/editions.repository.js';
import { MachineTweetsRepository } from './machine-tweets.repository.js';
import { playableText } from './playable-text.js';
import type { TweetCandidate } from './tweet-candidate.js';

// The pool's own settings (inference's POOL_* defaults), so a live tweet reads like a pooled one.
const SAMPLING = { temperature: 1, top_k: 50, top_p: 0.95, repetition_penalty: 1 };
const PER_CALL = 8;

/**
 * Machine tweets generated on demand, for a version whose pool has never been filled (a model
 * activated a moment ago). Bounded by GAME_LIVE_GENERATION_TIMEOUT_MS: a round would rather fail
 * with 503 than keep a player waiting.
 */
@Injectable()
export class LiveGenerator {
  private readonly logger = new Logger(LiveGenerator.name);

  private readonly sampling: Record<string, number>;

  constructor(
    @Inject(GAME_CONFIG) config: Config,
    private readonly inference: InferenceClient,
    private readonly machine: MachineTweetsRepository,
  ) {
    this.sampling = { max_new_tokens: config.GAME_LIVE_MAX_NEW_TOKENS, ...SAMPLING };
  }

  async generate(edition: Edition): Promise<TweetCandidate[]> {
    const answer = await this.inference.generate(`gpt2-twitter-${edition.slug}@${edition.modelVersion}`, { ...this.sampling, num_return_sequences: PER_CALL });
    const kept = answer.output.flatMap((o) => {
      // Cut off at the length cap, a tweet reads unfinished, which no human tweet does.
      if (o.finish_reason !== 'eos') return [];
      const text = playableText(o.generated_text);
      return text === null ? [] : [{ text, sampling: { ...this.sampling, seed: o.seed }, tokenCount: o.generated_tokens }];
    });
    this.logger.warn(`${edition.slug}: the pool of version ${edition.modelVersion} is empty; generated ${kept.length} of ${PER_CALL} live`);
    return this.machine.insertServed(edition.modelVersionId, kept);
  }
}

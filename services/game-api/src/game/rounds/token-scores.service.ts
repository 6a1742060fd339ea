import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { TokenScores } from '@ttt/contracts';
import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { serviceUnavailable } from '../../service-unavailable.js';
import { GAME_CONFIG, GAME_REDIS } from '../game.tokens.js';
import { InferenceClient, InferenceUnavailableError } from '../inference/inference.client.js';
import { EditionsRepository } from '../editions/editions.repository.js';
import { RoundsRepository } from './rounds.repository.js';

const CACHE_S = 24 * 3600;

/**
 * Each token's probability under the category's model, for the reveal's GLTR-style colouring.
 * A machine tweet is scored by the version that wrote it, a human one by the active version.
 * Answers are cached: the same tweet is dealt to many players.
 */
@Injectable()
export class TokenScoresService {
  private readonly prefix: string;

  constructor(
    @Inject(GAME_CONFIG) config: Config,
    @Inject(GAME_REDIS) private readonly redis: Redis,
    private readonly rounds: RoundsRepository,
    private readonly inference: InferenceClient,
    private readonly editions: EditionsRepository,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:tokens`;
  }

  async forRound(roundId: string, res: ServerResponse): Promise<TokenScores> {
    const round = await this.rounds.forTokens(roundId);
    if (!round) throw new NotFoundException(`round ${roundId} does not exist`);
    // Before the guess the colouring would hint at the answer (machine text is mostly top-ranked).
    if (!round.guessed) throw new ConflictException('guess first: the token colouring is part of the reveal');
    const model = `gpt2-twitter-${round.slug}@${round.modelVersion ?? (await this.activeVersion(round.slug))}`;
    const key = `${this.prefix}:${model}:${createHash('sha256').update(round.text).digest('base64url')}`;
    // The cache is an optimisation: with Redis away, score every time.
    const cached = await this.redis.get(key).catch(() => null);
    if (cached) return JSON.parse(cached) as TokenScores;
    try {
      const answer = await this.inference.score(model, round.text);
      const colouring: TokenScores = {
        model: answer.model,
        tokens: answer.tokens.map((t) => ({ text: t.token, probability: t.probability, rank: t.rank })),
      };
      await this.redis.set(key, JSON.stringify(colouring), 'EX', CACHE_S).catch(() => undefined);
      return colouring;
    } catch (error) {
      if (!(error instanceof InferenceUnavailableError)) throw error;
      throw serviceUnavailable(res, error.retryAfterS, `token scores are unavailable for now (${error.message})`);
    }
  }

  // A human tweet is scored by the edition's active version, named exactly so the cache key
  // changes when the version does.
  private async activeVersion(slug: string): Promise<number> {
    const edition = await this.editions.find(slug);
    if (!edition) throw new NotFoundException(`the ${slug} edition has no active model to score with`);
    return edition.modelVersion;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import type pg from 'pg';
import type { Config } from '../../config.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { playableText } from './playable-text.js';
import type { TweetCandidate } from './tweet-candidate.js';

@Injectable()
export class HumanTweetsRepository {
  private readonly tokenizer = new Gpt2Tokenizer();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(GAME_CONFIG) private readonly config: Config,
  ) {}

  /** About `n` random playable tweets of a category, shown as the training data saw them (cleaned). */
  async sample(categoryId: number, n: number): Promise<TweetCandidate[]> {
    // Read a few more than needed: some fail the text rules the stored flags cannot express.
    const want = Math.ceil(n * 1.5);
    let rows = await this.run(categoryId, Math.random(), want);
    if (rows.length < want) rows = rows.concat(await this.run(categoryId, 0, want - rows.length));
    const out: TweetCandidate[] = [];
    for (const row of rows) {
      const text = playableText(row.text);
      if (text === null || this.tokenizer.encode(text).length > this.config.GAME_MAX_TWEET_TOKENS) continue;
      out.push({ truth: 'human', text, tweetId: String(row.id) });
      if (out.length >= n) break;
    }
    return out;
  }

  // A run of sample keys from a random point: sample_key is random, so the run is a random
  // sample, read in index order (docs/store.md).
  private async run(categoryId: number, from: number, limit: number) {
    const { rows } = await this.pool.query(
      `SELECT t.id, t.text
       FROM tweet_categories tc JOIN tweets t ON t.id = tc.tweet_id
       WHERE tc.category_id = $1 AND tc.sample_key >= $2
         AND NOT t.is_reply AND NOT t.has_link AND NOT t.is_retweet AND NOT t.is_quote
       ORDER BY tc.sample_key
       LIMIT $3`,
      [categoryId, from, limit],
    );
    return rows as Array<{ id: string; text: string }>;
  }
}

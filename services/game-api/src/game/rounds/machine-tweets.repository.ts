import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';
import type { TweetCandidate } from './tweet-candidate.js';

// Tweets that stopped at their length cap (max_new_tokens) rather than ending read cut off
// mid-sentence, which no human tweet does. The pool refuses them now; this keeps out those a
// worker of an older release may still add during a rolling deploy, and those served before.
const ENDED = `(g.sampling->>'max_new_tokens' IS NULL OR g.token_count < (g.sampling->>'max_new_tokens')::int)`;

@Injectable()
export class MachineTweetsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /**
   * Takes up to `n` unserved tweets from a version's pool, marking them served. SKIP LOCKED lets
   * replicas claim at once without waiting on each other or taking the same tweet. In no
   * particular order: sorting would read the whole pool for every claim.
   */
  async claimUnserved(modelVersionId: number, n: number): Promise<TweetCandidate[]> {
    const { rows } = await this.pool.query(
      `UPDATE generated_tweets SET served_at = now()
       WHERE id IN (SELECT id FROM generated_tweets g WHERE model_version_id = $1 AND served_at IS NULL AND ${ENDED} LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, text`,
      [modelVersionId, n],
    );
    return rows.map((r) => ({ truth: 'machine', text: r.text, generatedTweetId: String(r.id), modelVersionId }));
  }

  /**
   * Up to `n` random tweets the version already served: what a round gets when players outrun
   * the pool's refill, so that a busy hour serves repeats from storage rather than waiting on
   * generation (or showing only human tweets, which would give the answer away).
   */
  async sampleServed(modelVersionId: number, n: number): Promise<TweetCandidate[]> {
    const { rows } = await this.pool.query(
      // Served ones only: an unserved tweet may be in another replica's claim at this moment.
      `WITH span AS (SELECT min(id) AS lo, max(id) AS hi FROM generated_tweets WHERE model_version_id = $1 AND served_at IS NOT NULL),
            start AS (SELECT lo + floor(random() * (hi - lo + 1))::bigint AS id FROM span)
       (SELECT g.id, g.text FROM generated_tweets g, start WHERE g.model_version_id = $1 AND g.served_at IS NOT NULL AND ${ENDED} AND g.id >= start.id ORDER BY g.id LIMIT $2)
       UNION ALL
       (SELECT g.id, g.text FROM generated_tweets g, start WHERE g.model_version_id = $1 AND g.served_at IS NOT NULL AND ${ENDED} AND g.id < start.id ORDER BY g.id LIMIT $2)`,
      [modelVersionId, n],
    );
    return rows.slice(0, n).map((r) => ({ truth: 'machine', text: r.text, generatedTweetId: String(r.id), modelVersionId }));
  }

  /** Stores tweets generated on demand (already served: they go straight to a round). */
  async insertServed(modelVersionId: number, tweets: Array<{ text: string; sampling: Record<string, unknown>; tokenCount: number }>): Promise<TweetCandidate[]> {
    if (tweets.length === 0) return [];
    const { rows } = await this.pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count, served_at)
       SELECT $1, t.text, t.sampling, t.token_count, now() FROM jsonb_to_recordset($2::jsonb) AS t(text text, sampling jsonb, token_count int)
       RETURNING id, text`,
      [modelVersionId, JSON.stringify(tweets.map((t) => ({ text: t.text, sampling: t.sampling, token_count: t.tokenCount })))],
    );
    return rows.map((r) => ({ truth: 'machine', text: r.text, generatedTweetId: String(r.id), modelVersionId }));
  }
}

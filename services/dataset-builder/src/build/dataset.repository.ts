import type pg from 'pg';
import type { TweetRow } from '@ttt/text';

export interface DatasetTotals {
  tweetCount: number;
  trainTokens: number;
  valTokens: number;
  manifest: object;
  artifactUri: string;
}

/** The SQL a dataset build needs: the category's tweets in id order and the Dataset row. */
export class DatasetRepository {
  constructor(private readonly pool: pg.Pool) {}

  async categoryId(slug: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug]);
    return rows[0]?.id ?? null;
  }

  async countTweets(categoryId: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM tweet_categories WHERE category_id = $1', [categoryId]);
    return Number(rows[0]!.n);
  }

  /**
   * The category's tweets in insertion (id) order, a page at a time. Dedupe keeps the first of
   * a group, so tweets stored earlier always win and a rebuild with more data keeps them.
   */
  async *tweets(categoryId: number, pageSize = 5000): AsyncGenerator<TweetRow[]> {
    let after = 0n;
    for (;;) {
      const { rows } = await this.pool.query<{
        id: string; platform: string; platform_id: string; text: string;
        is_reply: boolean; has_link: boolean; is_retweet: boolean; is_quote: boolean;
      }>(
        `SELECT t.id, t.platform, t.platform_id, t.text, t.is_reply, t.has_link, t.is_retweet, t.is_quote
           FROM tweet_categories tc JOIN tweets t ON t.id = tc.tweet_id
          WHERE tc.category_id = $1 AND tc.tweet_id > $2
          ORDER BY tc.tweet_id LIMIT $3`,
        [categoryId, after.toString(), pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        id: BigInt(r.id), platform: r.platform, platformId: r.platform_id, text: r.text,
        isReply: r.is_reply, hasLink: r.has_link, isRetweet: r.is_retweet, isQuote: r.is_quote,
      }));
      after = BigInt(rows.at(-1)!.id);
    }
  }

  async createDataset(categoryId: number, filters: object, valFraction: number, seed: number): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO datasets (category_id, status, filters, val_fraction, seed) VALUES ($1, 'building', $2, $3, $4) RETURNING id`,
      [categoryId, JSON.stringify(filters), valFraction, seed],
    );
    return rows[0]!.id;
  }

  async markReady(id: number, totals: DatasetTotals): Promise<void> {
    await this.pool.query(
      `UPDATE datasets SET status = 'ready', tweet_count = $2, train_tokens = $3, val_tokens = $4, manifest = $5,
              artifact_uri = $6, finished_at = now(), error = NULL WHERE id = $1`,
      [id, totals.tweetCount, totals.trainTokens, totals.valTokens, JSON.stringify(totals.manifest), totals.artifactUri],
    );
  }

  async markFailed(id: number, error: string, manifest?: object): Promise<void> {
    await this.pool.query(
      `UPDATE datasets SET status = 'failed', error = $2, manifest = coalesce($3, manifest), finished_at = now() WHERE id = $1`,
      [id, error, manifest ? JSON.stringify(manifest) : null],
    );
  }
}

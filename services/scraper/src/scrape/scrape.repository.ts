import type pg from 'pg';
import type { ScrapedTweet } from '../sources/scraped-tweet.js';

export interface AccountState {
  id: number;
  platform: 'x' | 'bluesky';
  handle: string;
  categoryId: number;
  category: string;
  platformUserId: string | null;
  status: string;
  lastCursor: string | null;
  newestTweetId: string | null;
  walkNewestId: string | null;
}

/** The SQL of scraping: source accounts' walk state, scrape runs, and storing what was fetched. */
export class ScrapeRepository {
  constructor(private readonly pool: pg.Pool) {}

  async category(slug: string): Promise<{ id: number } | null> {
    const { rows } = await this.pool.query('SELECT id FROM categories WHERE slug = $1', [slug]);
    return rows[0] ?? null;
  }

  async activeAccountIds(categoryId: number): Promise<number[]> {
    const { rows } = await this.pool.query(`SELECT id FROM source_accounts WHERE category_id = $1 AND status = 'active' ORDER BY id`, [categoryId]);
    return rows.map((r) => r.id as number);
  }

  async account(id: number): Promise<AccountState | null> {
    const { rows } = await this.pool.query(
      `SELECT s.id, s.platform, s.handle, s.category_id, c.slug, s.platform_user_id, s.status, s.last_cursor, s.newest_tweet_id, s.walk_newest_id
         FROM source_accounts s JOIN categories c ON c.id = s.category_id WHERE s.id = $1`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id, platform: r.platform, handle: r.handle, categoryId: r.category_id, category: r.slug,
          platformUserId: r.platform_user_id, status: r.status, lastCursor: r.last_cursor,
          newestTweetId: r.newest_tweet_id, walkNewestId: r.walk_newest_id,
        }
      : null;
  }

  async saveResolved(id: number, platformUserId: string): Promise<void> {
    await this.pool.query('UPDATE source_accounts SET platform_user_id = $2, updated_at = now() WHERE id = $1', [id, platformUserId]);
  }

  async markStatus(id: number, status: 'not_found' | 'suspended' | 'error' | 'active', error: string | null): Promise<void> {
    await this.pool.query(`UPDATE source_accounts SET status = $2, last_error = $3, updated_at = now() WHERE id = $1`, [id, status, error]);
  }

  async recordError(id: number, error: string): Promise<void> {
    await this.pool.query('UPDATE source_accounts SET last_error = $2, updated_at = now() WHERE id = $1', [id, error]);
  }

  /** When the stop tweet was written: the walk ends once it reaches tweets that old. */
  async tweetedAt(platform: string, platformId: string): Promise<Date | null> {
    // tweeted_at holds UTC without a zone; read it as such whatever the session's zone.
    const { rows } = await this.pool.query(`SELECT tweeted_at AT TIME ZONE 'UTC' AS at FROM tweets WHERE platform = $1 AND platform_id = $2`, [platform, platformId]);
    return (rows[0]?.at as Date | undefined) ?? null;
  }

  async startRun(account: AccountState, jobId: string | undefined): Promise<number> {
    const { rows } = await this.pool.query(
      `INSERT INTO scrape_runs (category_id, source_account_id, job_id, status) VALUES ($1, $2, $3, 'running') RETURNING id`,
      [account.categoryId, account.id, jobId ?? null],
    );
    return rows[0].id;
  }

  async finishRun(id: number, status: 'completed' | 'failed', error: string | null = null): Promise<void> {
    await this.pool.query(`UPDATE scrape_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1`, [id, status, error]);
  }

  /**
   * Stores a page and moves the account's checkpoint past it in one transaction: after a kill,
   * the walk resumes at the first page not stored, and no page is fetched twice.
   */
  async storePage(
    account: AccountState,
    runId: number,
    tweets: ScrapedTweet[],
    checkpoint: { nextCursor: string | null; walkNewestId: string | null },
  ): Promise<{ inserted: number; linked: number }> {
    const client = await this.pool.connect();
    try {
      await client.query(`BEGIN; SET LOCAL TimeZone = 'UTC'`);
      let inserted = 0;
      let linked = 0;
      if (tweets.length > 0) {
        const { rows } = await client.query(
          `WITH page AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[], $7::int[], $8::int[],
                                  $9::bool[], $10::bool[], $11::bool[], $12::bool[], $13::text[], $14::text[])
               AS p(platform_id, author_handle, author_name, text, tweeted_at, like_count, retweet_count, reply_count,
                    is_reply, has_link, is_retweet, is_quote, url, raw)
           ), inserted AS (
             INSERT INTO tweets (platform, platform_id, author_handle, author_name, text, tweeted_at, like_count, retweet_count,
                                 reply_count, is_reply, has_link, is_retweet, is_quote, url, raw, origin, origin_ref, scrape_run_id)
             SELECT $15::"Platform", platform_id, author_handle, author_name, text, tweeted_at AT TIME ZONE 'UTC', like_count,
                    retweet_count, reply_count, is_reply, has_link, is_retweet, is_quote, url, raw::json, $16::"TweetOrigin", $17, $18
               FROM page ORDER BY platform_id
             ON CONFLICT (platform, platform_id) DO NOTHING
             RETURNING id
           ), targets AS (
             SELECT id FROM inserted
             UNION SELECT t.id FROM tweets t JOIN page p ON t.platform = $15::"Platform" AND t.platform_id = p.platform_id
           ), links AS (
             INSERT INTO tweet_categories (tweet_id, category_id) SELECT id, $19 FROM targets
             ON CONFLICT DO NOTHING RETURNING tweet_id
           )
           SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM links)::int AS linked`,
          [
            tweets.map((t) => t.platformId), tweets.map((t) => t.authorHandle), tweets.map((t) => t.authorName),
            tweets.map((t) => t.text), tweets.map((t) => t.tweetedAt.toISOString()), tweets.map((t) => t.likeCount),
            tweets.map((t) => t.retweetCount), tweets.map((t) => t.replyCount), tweets.map((t) => t.isReply),
            tweets.map((t) => t.hasLink), tweets.map((t) => t.isRetweet), tweets.map((t) => t.isQuote),
            tweets.map((t) => t.url), tweets.map((t) => JSON.stringify(t.raw)),
            account.platform, account.platform === 'x' ? 'x_graphql' : 'bluesky', `${account.platform}:${account.handle}`, runId,
            account.categoryId,
          ],
        );
        inserted = rows[0].inserted;
        linked = rows[0].linked;
      }
      await client.query(
        `UPDATE source_accounts SET last_cursor = $2, walk_newest_id = coalesce(walk_newest_id, $3), updated_at = now() WHERE id = $1`,
        [account.id, checkpoint.nextCursor, checkpoint.walkNewestId],
      );
      await client.query(
        `UPDATE scrape_runs SET pages_fetched = pages_fetched + 1, tweets_seen = tweets_seen + $2, tweets_inserted = tweets_inserted + $3 WHERE id = $1`,
        [runId, tweets.length, inserted],
      );
      await client.query('COMMIT');
      return { inserted, linked };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** The walk reached its end: its newest tweet is the next walk's stop point. */
  async completeWalk(id: number): Promise<void> {
    await this.pool.query(
      `UPDATE source_accounts SET newest_tweet_id = coalesce(walk_newest_id, newest_tweet_id), walk_newest_id = NULL,
              last_cursor = NULL, last_scraped_at = now(), last_error = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }
}

import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import pg from 'pg';

const dataDir = process.env.REFERENCE_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

export interface FixtureTweet {
  platformId: string;
  handle: string;
  text: string;
  isReply?: boolean;
  hasLink?: boolean;
  isRetweet?: boolean;
}

/** Tweets of a reference category file, with their exact ids from the status links. */
export async function referenceTweets(category: string, limit = Infinity): Promise<FixtureTweet[]> {
  const file = `${dataDir}/seed-tweets/${category}.jsonl.gz`;
  if (!existsSync(file)) throw new Error(`reference data not found at ${file} (set REFERENCE_DATA_DIR)`);
  const out: FixtureTweet[] = [];
  const seen = new Set<string>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const t = JSON.parse(line) as { link: string; username: string; tweet: string; urls: string[]; retweet: boolean };
    const platformId = /\/status\/(\d+)/.exec(t.link)![1]!;
    if (seen.has(platformId)) continue;
    seen.add(platformId);
    out.push({ platformId, handle: t.username, text: t.tweet, hasLink: t.urls.length > 0, isRetweet: t.retweet });
    if (out.length >= limit) break;
  }
  lines.close();
  return out;
}

export interface TweetFixture {
  db: TestDatabase;
  pool: pg.Pool;
  /** Stores tweets as X tweets of the category (created if needed); returns their database ids. */
  addTweets(category: string, tweets: FixtureTweet[]): Promise<bigint[]>;
  close(): Promise<void>;
}

/** A fresh migrated database with tweets written the way the scraper stores them. */
export async function tweetFixture(): Promise<TweetFixture> {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  return {
    db,
    pool,
    addTweets: async (category, tweets) => {
      const { rows: cat } = await pool.query<{ id: number }>(
        `INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now())
         ON CONFLICT (slug) DO UPDATE SET updated_at = now() RETURNING id`,
        [category],
      );
      const { rows } = await pool.query<{ id: string }>(
        `WITH t AS (
           INSERT INTO tweets (platform, platform_id, author_handle, text, tweeted_at, is_reply, has_link, is_retweet, raw, origin)
           SELECT 'x', u.pid, u.handle, u.text, now(), u.reply, u.link, u.rt, '{}'::json, 'twint_import'
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::bool[]) WITH ORDINALITY
                  AS u(pid, handle, text, reply, link, rt, n)
            ORDER BY u.n
           RETURNING id)
         INSERT INTO tweet_categories (tweet_id, category_id) SELECT id, $7 FROM t RETURNING tweet_id AS id`,
        [
          tweets.map((t) => t.platformId),
          tweets.map((t) => t.handle),
          tweets.map((t) => t.text),
          tweets.map((t) => t.isReply ?? false),
          tweets.map((t) => t.hasLink ?? false),
          tweets.map((t) => t.isRetweet ?? false),
          cat[0]!.id,
        ],
      );
      return rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : 1));
    },
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

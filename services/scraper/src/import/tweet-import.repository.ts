import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { TwintTweet } from '../sources/twint/twint-record.js';

export interface BatchResult {
  /** Tweets new to the store. */
  inserted: number;
  /** Distinct tweets of the batch now linked to the category that were not before (includes inserted). */
  linked: number;
}

export interface TweetBatchRow extends TwintTweet {
  /** File or URL, and line: stored as the tweet's origin_ref, and named when a row is refused. */
  source: string;
  line: number;
}

// Every batch runs in one transaction. An import can be re-run after a crash, so losing its
// last commits in a crash costs nothing, while waiting for each WAL flush does. tweeted_at is
// a timestamp without zone holding UTC (as Prisma writes it): the session's zone must not
// shift it.
const BEGIN = `BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL TimeZone = 'UTC'`;

// A batch is streamed with COPY into a per-connection staging table (cheap: no WAL, no
// index), then moved in set statements; the staging table empties itself at commit.
const STAGE = `
CREATE TEMP TABLE IF NOT EXISTS tweet_import_stage (
  platform_id text, author_handle text, author_name text, text text, tweeted_at timestamptz,
  like_count int, retweet_count int, reply_count int, is_reply bool, has_link bool,
  is_retweet bool, is_quote bool, url text, raw text, origin_ref text
) ON COMMIT DELETE ROWS`;

// ON CONFLICT keeps whichever copy of a tweet was written first, so re-running an import, or
// another writer on the same tweets, adds nothing and fails nothing. New tweets are linked to
// the category from RETURNING, with no second lookup. ORDER BY gives every transaction the
// same lock order on the unique index: two batches holding the same tweets cannot deadlock.
const MERGE_TWEETS = `
WITH inserted AS (
  INSERT INTO tweets (platform, platform_id, author_handle, author_name, text, tweeted_at,
    like_count, retweet_count, reply_count, is_reply, has_link, is_retweet, is_quote, url, raw,
    origin, origin_ref)
  SELECT 'x', platform_id, author_handle, author_name, text, tweeted_at, like_count,
    retweet_count, reply_count, is_reply, has_link, is_retweet, is_quote, url, raw::json,
    'twint_import', origin_ref
  FROM tweet_import_stage ORDER BY platform_id
  ON CONFLICT (platform, platform_id) DO NOTHING
  RETURNING id, platform_id
), linked AS (
  INSERT INTO tweet_categories (tweet_id, category_id) SELECT id, $1::int FROM inserted
)
SELECT platform_id FROM inserted`;

// Tweets of the batch that were stored already (earlier run, other category). A statement of
// its own, so it sees tweets another writer committed meanwhile. One unique-index probe per
// id: written as `platform_id = ANY($2)`, the planner, without statistics on a table that grew
// since it was last analysed (always, during a big import), reads every tweet through a bitmap
// scan instead, and each batch gets slower than the last.
const LINK_BY_PLATFORM_ID = `
INSERT INTO tweet_categories (tweet_id, category_id)
SELECT t.id, $1::int FROM unnest($2::text[]) AS k(platform_id)
CROSS JOIN LATERAL (SELECT id FROM tweets WHERE platform = 'x' AND platform_id = k.platform_id) t
ORDER BY t.id
ON CONFLICT DO NOTHING`;

/**
 * COPY text format: backslash, tab and line breaks escaped; \N for null. Postgres text cannot
 * hold NUL, so it is dropped; nothing a reader sees is lost.
 */
function field(v: string | null): string {
  if (v === null) return '\\N';
  if (!/[\\\t\n\r\0]/.test(v)) return v;
  return v
    .replaceAll('\0', '')
    .replaceAll('\\', '\\\\')
    .replaceAll('\t', '\\t')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r');
}

/** A row of tweet_import_stage in COPY text format. */
const stageRow = (r: TweetBatchRow) =>
  `${field(r.platformId)}\t${field(r.authorHandle)}\t${field(r.authorName)}\t${field(r.text)}\t${r.tweetedAt.toISOString()}\t${r.likeCount}\t${r.retweetCount}\t${r.replyCount}\t${r.isReply}\t${r.hasLink}\t${r.isRetweet}\t${r.isQuote}\t${field(r.url)}\t${field(r.raw)}\t${field(`${r.source}:${r.line}`)}\n`;

/**
 * Sends rows to COPY as one chunk (a chunk a row would cost a system call a row), encoded row
 * by row: joining a batch into one string first is several times slower, since one emoji
 * makes V8 widen the whole result to two bytes a character.
 */
async function copyToStage(client: pg.PoolClient, rows: TweetBatchRow[]): Promise<void> {
  const chunk = Buffer.concat(rows.map((row) => Buffer.from(stageRow(row))));
  await pipeline(Readable.from([chunk]), client.query(copyFrom('COPY tweet_import_stage FROM STDIN')));
}

/** Bulk writes of imported tweets and their category links, one transaction a batch. */
export class TweetImportRepository {
  constructor(private readonly pool: pg.Pool) {}

  async categoryId(slug: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug]);
    return rows[0]?.id ?? null;
  }

  async categorySlugs(): Promise<string[]> {
    const { rows } = await this.pool.query<{ slug: string }>('SELECT slug FROM categories ORDER BY slug');
    return rows.map((r) => r.slug);
  }

  /**
   * Writes a batch in one transaction: all of it or none. Of a tweet repeated within the batch
   * the first line is written; the others count as already present.
   */
  async writeBatch(categoryId: number, batch: TweetBatchRow[]): Promise<BatchResult> {
    const firsts = new Map<string, TweetBatchRow>();
    for (const r of batch) if (!firsts.has(r.platformId)) firsts.set(r.platformId, r);
    const rows = [...firsts.values()];
    return this.inTransaction(async (client) => {
      await client.query(STAGE);
      await copyToStage(client, rows);
      const inserted = await client.query<{ platform_id: string }>(MERGE_TWEETS, [categoryId]);
      const fresh = new Set(inserted.rows.map((r) => r.platform_id));
      const existing = rows.map((r) => r.platformId).filter((id) => !fresh.has(id));
      const linkedExisting = existing.length ? ((await client.query(LINK_BY_PLATFORM_ID, [categoryId, existing])).rowCount ?? 0) : 0;
      return { inserted: fresh.size, linked: fresh.size + linkedExisting };
    });
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(BEGIN);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dropped rather than handed to the next batch.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

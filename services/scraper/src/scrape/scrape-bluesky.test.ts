import { fileURLToPath } from 'node:url';
import { QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBluesky, startFakeBluesky } from '../../test/bluesky/fake-bluesky-server.js';
import type { ScrapeSummary } from './scrape.processor.js';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('scraping a Bluesky account through the scraper service', () => {
  const prefix = `test-bsky-${process.pid}-${Date.now()}`;
  let db: TestDatabase;
  let pool: pg.Pool;
  let bluesky: FakeBluesky;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const { rows } = await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('polisci', 'Political science', now()) RETURNING id`);
    await pool.query(`INSERT INTO source_accounts (platform, handle, category_id, updated_at) VALUES ('bluesky', 'chriskenny.bsky.social', $1, now())`, [rows[0].id]);
    bluesky = await startFakeBluesky(2);
    service = await startServiceProcess(entry, { DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, BLUESKY_BASE_URL: bluesky.baseUrl });
  });
  afterAll(async () => {
    await service?.stop();
    for (const name of [QueueName.scrape, QueueName.scrapeAccount]) {
      const q = new Queue(name, { connection: redisConnection(redisUrl), prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    await bluesky?.close();
    await pool?.end();
    await db?.drop();
  });

  it('stores every post of the feed with its reply and repost flags, each page fetched once', async () => {
    const scrapes = new TypedQueue(QueueName.scrape, new Queue(QueueName.scrape, { connection: redisConnection(redisUrl), prefix }));
    const events = new QueueEvents(QueueName.scrape, { connection: redisConnection(redisUrl), prefix });
    try {
      await events.waitUntilReady();
      const summary = (await (await scrapes.add({ category: 'polisci' })).waitUntilFinished(events, 60_000)) as ScrapeSummary;
      expect(summary).toMatchObject({ accounts: 1, completed: 1, pages: 2, inserted: 100 });
      expect(new Set(bluesky.feedRequests.map((r) => r.cursor)).size).toBe(bluesky.feedRequests.length);
      const { rows } = await pool.query(`
        SELECT count(*)::int AS posts, count(*) FILTER (WHERE is_reply)::int AS replies, count(*) FILTER (WHERE is_retweet)::int AS reposts,
               count(*) FILTER (WHERE platform_id LIKE 'at://%')::int AS exact_ids
          FROM tweets WHERE platform = 'bluesky'`);
      // The recorded feed: 50 items, 24 replies, 7 reposts; the second page repeats it under new keys.
      expect(rows[0]).toEqual({ posts: 100, replies: 48, reposts: 14, exact_ids: 100 });
    } finally {
      await events.close();
      await scrapes.queue.close();
    }
  });
});

import { fileURLToPath } from 'node:url';
import { QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BEARER, FakeXServer } from '../../test/x/fake-x-server.js';
import type { ScrapeAccountResult } from './scrape-account.js';
import type { ScrapeSummary } from './scrape.processor.js';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('scraping a category from X through the scraper service', () => {
  const prefix = `test-scrape-${process.pid}-${Date.now()}`;
  let db: TestDatabase;
  let pool: pg.Pool;
  let x: FakeXServer;
  let service: RunningService;
  let scrapes: TypedQueue<typeof QueueName.scrape>;
  let events: QueueEvents;
  const env = () => ({
    DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, X_BEARER_TOKEN: FAKE_BEARER, X_BASE_URL: x.baseUrl,
    SCRAPE_LOCK_MS: '2000',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const { rows } = await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('tech', 'Tech', now()) RETURNING id`);
    await pool.query(`INSERT INTO source_accounts (platform, handle, category_id, updated_at) VALUES ('x', 'xdevelopers', $1, now()), ('x', 'nobody_here_42', $1, now())`, [rows[0].id]);
    x = await FakeXServer.start({ pages: 3, handles: ['xdevelopers'] });
    service = await startServiceProcess(entry, env());
    scrapes = new TypedQueue(QueueName.scrape, new Queue(QueueName.scrape, { connection: redisConnection(redisUrl), prefix }));
    events = new QueueEvents(QueueName.scrape, { connection: redisConnection(redisUrl), prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await service?.stop();
    await events?.close();
    for (const name of [QueueName.scrape, QueueName.scrapeAccount]) {
      const q = new Queue(name, { connection: redisConnection(redisUrl), prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    await scrapes?.queue.close();
    await x?.close();
    await pool?.end();
    await db?.drop();
  });

  it('walks every account’s timeline to its end, each page once, and stores the tweets with their flags', async () => {
    const job = await scrapes.add({ category: 'tech' });
    const summary = (await job.waitUntilFinished(events, 60_000)) as ScrapeSummary;
    expect(summary).toMatchObject({ category: 'tech', accounts: 2, completed: 1, failed: 0 });
    // Three pages of tweets, then the empty page that ends the timeline.
    expect(summary.pages).toBe(4);
    expect(x.cursorCount(null)).toBe(1);
    const cursors = x.requests.filter((r) => r.endpoint === 'UserTweets').map((r) => r.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);

    const { rows } = await pool.query(`
      SELECT count(*)::int AS tweets, count(*) FILTER (WHERE is_reply)::int AS replies,
             count(*) FILTER (WHERE is_retweet)::int AS retweets, count(*) FILTER (WHERE has_link)::int AS links,
             count(*) FILTER (WHERE raw IS NOT NULL AND origin = 'x_graphql')::int AS raw
        FROM tweets t JOIN tweet_categories tc ON tc.tweet_id = t.id`);
    expect(rows[0].tweets).toBe(summary.inserted);
    // The recorded page holds 21 tweets: 1 reply, 7 with links (one of them the pinned tweet)
    // and 16 retweets. The fake's later pages repeat it with fresh ids, without the pin.
    expect(rows[0]).toMatchObject({ tweets: 21 + 20 + 20, replies: 3, retweets: 48, links: 7 + 6 + 6, raw: 61 });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^scrape_pages_total\{[^}]*platform="x"[^}]*\} 4$/m);
    expect(metrics).toMatch(/^scrape_tweets_inserted_total\{[^}]*platform="x"[^}]*\} 61$/m);
    expect(metrics).toMatch(/^scrape_http_requests\{[^}]*status="2xx"[^}]*\} \d+$/m);
    const { rows: accounts } = await pool.query(`SELECT handle, status, last_cursor, newest_tweet_id FROM source_accounts ORDER BY handle`);
    expect(accounts).toMatchObject([
      { handle: 'nobody_here_42', status: 'not_found' },
      { handle: 'xdevelopers', status: 'active', last_cursor: null, newest_tweet_id: expect.stringMatching(/^\d+$/) },
    ]);
  });

  it('stops a later scrape at the newest tweet it already has', async () => {
    const before = x.count('UserTweets');
    const summary = (await (await scrapes.add({ category: 'tech' })).waitUntilFinished(events, 60_000)) as ScrapeSummary;
    expect(x.count('UserTweets') - before).toBe(1);
    expect(summary).toMatchObject({ accounts: 1, completed: 1, pages: 1, inserted: 0 });
  });

  it('yields an account whose window is spent, without collecting a 429, and lets the next one run', async () => {
    const tight = await FakeXServer.start({ pages: 3, handles: ['xdevelopers'], budget: 2 });
    const local = await startServiceProcess(entry, { ...env(), X_BASE_URL: tight.baseUrl, QUEUE_PREFIX: `${prefix}-tight`, SCRAPE_MAX_WAIT_MS: '0' });
    const accounts = new Queue(QueueName.scrapeAccount, { connection: redisConnection(redisUrl), prefix: `${prefix}-tight` });
    try {
      const { rows: [account] } = await pool.query(`SELECT id FROM source_accounts WHERE handle = 'xdevelopers'`);
      await pool.query(`UPDATE source_accounts SET newest_tweet_id = NULL, last_cursor = NULL, walk_newest_id = NULL WHERE id = $1`, [account.id]);
      const job = await new TypedQueue(QueueName.scrapeAccount, accounts).add({ sourceAccountId: account.id });
      for (let waited = 0; (await accounts.getJob(job.id!))?.delay === 0 || !(await job.isDelayed()); waited += 100) {
        if (waited > 30_000) throw new Error('the job did not step aside in 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const asked = tight.requests.filter((r) => r.endpoint === 'UserTweets');
      expect(asked).toHaveLength(2);
      expect(tight.requests.filter((r) => r.status === 429)).toHaveLength(0);
      // Delayed until the window resets (15 minutes on X), with its checkpoint kept.
      const delayed = (await accounts.getJob(job.id!))!;
      expect(delayed.timestamp + delayed.delay).toBeGreaterThan(Date.now() + 10 * 60_000);
      const { rows } = await pool.query(`SELECT last_cursor FROM source_accounts WHERE id = $1`, [account.id]);
      expect(rows[0].last_cursor).not.toBeNull();
    } finally {
      await local.stop();
      await accounts.obliterate({ force: true });
      await accounts.close();
      await tight.close();
    }
  }, 60_000);

  it('resumes a walk killed midway at the first page not stored, fetching no stored page again', async () => {
    await pool.query(`UPDATE source_accounts SET newest_tweet_id = NULL, last_cursor = NULL WHERE handle = 'xdevelopers'`);
    await pool.query('TRUNCATE tweets CASCADE');
    const accounts = new TypedQueue(QueueName.scrapeAccount, new Queue(QueueName.scrapeAccount, { connection: redisConnection(redisUrl), prefix }));
    const accountEvents = new QueueEvents(QueueName.scrapeAccount, { connection: redisConnection(redisUrl), prefix });
    try {
      const first = x.requests.length;
      x.failNext('slow', 3, 1500);
      const { rows: [account] } = await pool.query(`SELECT id FROM source_accounts WHERE handle = 'xdevelopers'`);
      const job = await accounts.add({ sourceAccountId: account.id });
      for (let waited = 0; ; waited += 100) {
        const { rows } = await pool.query(`SELECT last_cursor FROM source_accounts WHERE id = $1`, [account.id]);
        if (rows[0].last_cursor) break;
        if (waited > 30_000) throw new Error('no page stored in 30 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      service.process.kill('SIGKILL');
      await new Promise((r) => service.process.once('exit', r));
      service = await startServiceProcess(entry, env());
      const result = (await job.waitUntilFinished(accountEvents, 60_000)) as ScrapeAccountResult;
      expect(result).toMatchObject({ outcome: 'completed', resumedFromCursor: true });
      const walk = x.requests.slice(first).filter((r) => r.endpoint === 'UserTweets');
      // The first page was stored before the kill: never asked for again.
      expect(walk.filter((r) => r.cursor === null)).toHaveLength(1);
      // At most the page in flight at the kill is asked for twice.
      expect(walk.length - new Set(walk.map((r) => r.cursor)).size).toBeLessThanOrEqual(1);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM tweets');
      expect(rows[0].n).toBeGreaterThan(40);
    } finally {
      await accountEvents.close();
      await accounts.queue.close();
    }
  }, 120_000);
});

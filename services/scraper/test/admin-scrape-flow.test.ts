import { fileURLToPath } from 'node:url';
import { QueueName, redisConnection } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BEARER, FakeXServer } from './x/fake-x-server.js';

const scraperEntry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const gameApiEntry = fileURLToPath(new URL('../../game-api/dist/main.js', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = 'operator-key-0123456789abcdef';

describe('an operator adds a category with its handles, starts a scrape, watches it and finds the tweets', () => {
  const prefix = `test-flow-${process.pid}-${Date.now()}`;
  let db: TestDatabase;
  let x: FakeXServer;
  let scraper: RunningService;
  let api: RunningService;
  const admin = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${api.url}/admin${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    x = await FakeXServer.start({ pages: 2, handles: ['xdevelopers'] });
    const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix };
    scraper = await startServiceProcess(scraperEntry, { ...env, X_BEARER_TOKEN: FAKE_BEARER, X_BASE_URL: x.baseUrl });
    api = await startServiceProcess(gameApiEntry, { ...env, ADMIN_API_KEYS: KEY });
  });
  afterAll(async () => {
    await api?.stop();
    await scraper?.stop();
    for (const name of [QueueName.scrape, QueueName.scrapeAccount]) {
      const q = new Queue(name, { connection: redisConnection(redisUrl), prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    await x?.close();
    await db?.drop();
  });

  it('goes from the admin API to tweets in Postgres', async () => {
    expect((await admin('/categories', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'devs', name: 'Developers' }) })).status).toBe(201);
    const added = await admin('/categories/devs/sources', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '# name: Developers\n@XDevelopers\nnot a handle!\n' });
    expect(added.body).toMatchObject({ added: 1, invalid: [{ line: 3 }] });

    const queued = await admin('/jobs/scrape', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: 'devs' }) });
    expect(queued.status).toBe(202);
    let job: Record<string, unknown> = {};
    for (let waited = 0; job.state !== 'completed'; waited += 200) {
      if (waited > 60_000 || job.state === 'failed') throw new Error(`scrape did not complete: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 200));
      job = (await admin(`/jobs/${queued.body.id}`)).body;
    }
    expect(job.result).toMatchObject({ category: 'devs', accounts: 1, completed: 1, pages: 3, inserted: 41 });

    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM tweets t JOIN tweet_categories tc ON tc.tweet_id = t.id JOIN categories c ON c.id = tc.category_id WHERE c.slug = 'devs'`);
      expect(rows[0].n).toBe(41);
    } finally {
      await pool.end();
    }
  }, 120_000);
});

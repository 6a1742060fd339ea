import { fileURLToPath } from 'node:url';
import { jobDefaults, QueueName, redisConnection, takeJobPayload } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const KEY = 'jobs-test-admin-key-0123456789ab';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-game-api-jobs-${process.pid}`;
const connection = redisConnection(REDIS_URL);

describe('admin API: jobs', () => {
  let db: TestDatabase;
  let service: RunningService;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection, prefix }));
    return queues.get(name)!;
  };

  const post = (path: string, json?: unknown) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const get = (path: string) => fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });

  beforeAll(async () => {
    db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('vc', 'Venture Capital', now())`);
    await pool.end();
    service = await startServiceProcess(entry, { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, ADMIN_API_KEYS: KEY, LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await service?.stop();
    for (const name of Object.values(QueueName)) await queue(name).obliterate({ force: true });
    await Promise.all([...queues.values()].map((q) => q.close()));
    await db?.drop();
  });

  it('queues each job kind with its payload and the default attempts, and reads it back', async () => {
    const bodies = {
      [QueueName.scrape]: { category: 'vc' },
      [QueueName.buildDataset]: { category: 'vc', filters: {} },
      [QueueName.train]: { datasetIds: [1], base: { kind: 'hub', name: 'gpt2' } },
      [QueueName.import]: { category: 'vc', from: '/data/vc.jsonl.gz' },
      [QueueName.generate]: { modelVersionId: 1, count: 50 },
      [QueueName.evaluate]: { modelVersionId: 1 },
    };
    for (const [name, body] of Object.entries(bodies)) {
      const res = await post(`/admin/jobs/${name}`, body);
      expect(res.status, name).toBe(202);
      const queued = (await res.json()) as { id: string; queue: string; state: string };
      expect(queued).toMatchObject({ queue: name, state: 'waiting' });
      expect(queued.id).toMatch(new RegExp(`^${name}:\\d+$`));

      const job = (await queue(name).getJob(queued.id.split(':')[1]))!;
      expect(job.data).toMatchObject(body);
      expect(job.opts.attempts).toBe(jobDefaults[name as QueueName].attempts);
      expect(job.opts.backoff).toEqual(jobDefaults[name as QueueName].backoff);

      const read = (await (await get(`/admin/jobs/${queued.id}`)).json()) as Record<string, unknown>;
      expect(read).toMatchObject({ id: queued.id, queue: name, state: 'waiting', attemptsMade: 0, failedReason: null, result: null, processedAt: null, finishedAt: null });
      expect(read.data).toEqual(job.data);
      expect(typeof read.createdAt).toBe('string');
    }
    // The schema's defaults were applied.
    const [dataset] = await queue(QueueName.buildDataset).getJobs(['waiting']);
    expect(dataset.data).toMatchObject({ valFraction: 0.05, seed: 0 });
  });

  it('refuses bad job bodies with 400 naming the field, and unknown jobs with 404', async () => {
    const bad = await post('/admin/jobs/train', { datasetIds: [], base: { kind: 'hub', name: 'gpt2' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/datasetIds/);
    const relative = await post('/admin/jobs/import', { category: 'vc', from: 'relative/path' });
    expect(relative.status).toBe(400);
    expect(((await relative.json()) as { message: string }).message).toMatch(/from/);
    expect((await post('/admin/jobs/build-dataset')).status).toBe(400);
    for (const id of ['nope:1', 'train:999999', 'noColon', 'scrape:']) expect((await get(`/admin/jobs/${id}`)).status, id).toBe(404);
    expect((await post('/admin/jobs/train:999999/cancel')).status).toBe(404);
  });

  it('cancels a waiting job, refuses an active or finished one, and retries a failed one', async () => {
    const res = await post('/admin/jobs/scrape', { category: 'vc' });
    const { id } = (await res.json()) as { id: string };
    const cancelled = await post(`/admin/jobs/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ cancelled: true });
    expect(await queue(QueueName.scrape).getJob(id.split(':')[1])).toBeUndefined();
    expect((await get(`/admin/jobs/${id}`)).status).toBe(404);

    // A job whose payload breaks the schema, added past the schema, fails for good in a worker.
    const q = queue(QueueName.evaluate);
    const broken = await q.add(QueueName.evaluate, { modelVersionId: 'not a number' }, { attempts: 2 });
    const brokenId = `${QueueName.evaluate}:${broken.id}`;
    expect((await post(`/admin/jobs/${brokenId}/retry`)).status).toBe(409); // still waiting

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const worker = new Worker(
      QueueName.evaluate,
      async (job) => {
        if (job.data.hold) await held;
        return takeJobPayload(QueueName.evaluate, job.data);
      },
      { connection, prefix, autorun: false },
    );
    const failed = new Promise<void>((resolve) => worker.on('failed', (job) => job?.id === broken.id && resolve()));
    try {
      void worker.run();
      await failed;
      const read = (await (await get(`/admin/jobs/${brokenId}`)).json()) as { state: string; failedReason: string; attemptsMade: number };
      expect(read.state).toBe('failed');
      expect(read.failedReason).toMatch(/modelVersionId/);
      expect(read.attemptsMade).toBe(1);
      expect((await post(`/admin/jobs/${brokenId}/cancel`)).status).toBe(409);

      await worker.pause();
      const retried = await post(`/admin/jobs/${brokenId}/retry`);
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({ id: brokenId, retried: true, state: 'waiting' });
      expect(await (await q.getJob(broken.id!))!.getState()).toBe('waiting');
      await (await q.getJob(broken.id!))!.remove();

      // An active job cannot be cancelled from the API.
      worker.resume();
      const running = await q.add('hold', { modelVersionId: 1, hold: true });
      await expect.poll(async () => running.getState(), { timeout: 10_000 }).toBe('active');
      const refused = await post(`/admin/jobs/${QueueName.evaluate}:${running.id}/cancel`);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { message: string }).message).toMatch(/running and cannot be cancelled/);
      release();
      await expect.poll(async () => running.getState(), { timeout: 10_000 }).toBe('completed');
      const done = (await (await get(`/admin/jobs/${QueueName.evaluate}:${running.id}`)).json()) as { result: unknown; finishedAt: string };
      expect(done.result).toEqual({ modelVersionId: 1 });
      expect(done.finishedAt).toEqual(expect.any(String));
      expect((await post(`/admin/jobs/${QueueName.evaluate}:${running.id}/cancel`)).status).toBe(409);
      expect((await post(`/admin/jobs/${QueueName.evaluate}:${running.id}/retry`)).status).toBe(409);
    } finally {
      release();
      await worker.close();
    }
  });
});

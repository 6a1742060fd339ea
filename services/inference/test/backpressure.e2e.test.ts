import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore } from '@ttt/artifacts';
import { QueueName, redisConnection } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModelFolder } from './model-folder.js';
import { sampleTweets, seedCategory } from './model-fixture.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `test-inference-bp-${process.pid}`;
const long = { max_new_tokens: 60, min_length: 61, seed: 1 };

const generate = (base: string, body: unknown) =>
  fetch(`${base}/v1/models/gpt2-twitter-vc/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Limits and roles, each against its own process: a one-slot batch with a short queue, a short
 * request timeout, and a gateway whose requests reach a separate worker through Redis.
 */
describe('inference backpressure, timeouts and the gateway/worker split', () => {
  let dir: string;
  let db: TestDatabase;
  const services: RunningService[] = [];
  let env: Record<string, string>;

  const start = async (extra: Record<string, string>) => {
    const s = await startServiceProcess(entry, { ...env, ...extra });
    services.push(s);
    return s;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ttt-inference-bp-'));
    const model = await initModelFolder(join(dir, 'model'), { config: 'tiny', seed: 31 });
    db = await createTestDatabase();
    const store = new LocalArtifactStore(join(dir, 'store'));
    await seedCategory(db.url, store, join(dir, 'staging'), { category: 'vc', tweets: sampleTweets(60), models: [{ dir: model, status: 'active' }] });
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX,
      ARTIFACT_STORE_URL: store.rootUri,
      INFERENCE_CACHE_DIR: join(dir, 'cache'),
      POOL_TARGET: '0',
      LOG_LEVEL: 'warn',
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnection(REDIS_URL), prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After past its queue, never waits unboundedly, and serves again once drained', async () => {
    const s = await start({ INFERENCE_MAX_BATCH: '1', INFERENCE_MAX_QUEUE: '2' });
    await until('the model to load', async () => (await generate(s.url, { max_new_tokens: 1 })).status === 200);
    const responses = await Promise.all(Array.from({ length: 16 }, () => generate(s.url, long)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(statuses.every((c) => c === 200 || c === 429)).toBe(true);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await r.json()) as { message: string }).message).toMatch(/queue is full/);
    }
    const after = await generate(s.url, long);
    expect(after.status).toBe(200);
  });

  it('answers 503 with Retry-After when a request outlives its timeout, and the slot is freed', async () => {
    const s = await start({ INFERENCE_MAX_BATCH: '1', INFERENCE_MAX_QUEUE: '100', INFERENCE_REQUEST_TIMEOUT_MS: '150' });
    await until('the model to load', async () => (await generate(s.url, { max_new_tokens: 1 })).status === 200);
    const responses = await Promise.all(Array.from({ length: 40 }, () => generate(s.url, long)));
    const timedOut = responses.filter((r) => r.status === 503);
    expect(timedOut.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(timedOut[0]!.headers.get('retry-after')).toBe('1');
    expect(((await timedOut[0]!.json()) as { message: string }).message).toMatch(/timeout/);
    expect((await generate(s.url, { max_new_tokens: 3 })).status).toBe(200);
  });

  it('answers 503 with Retry-After, naming Postgres, while the model catalog cannot be read', async () => {
    const s = await start({ DATABASE_URL: `${db.url}_missing` });
    const res = await generate(s.url, { max_new_tokens: 3 });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(((await res.json()) as { message: string }).message).toMatch(/model catalog \(Postgres\) is unavailable/);
    const list = await fetch(`${s.url}/v1/models`);
    expect(list.status).toBe(503);
  });

  it('serves through a gateway and a separate worker, passing refusals back with their status', async () => {
    const worker = await start({ INFERENCE_ROLE: 'worker' });
    const gateway = await start({ INFERENCE_ROLE: 'gateway' });
    await until('the worker to serve', async () => (await generate(gateway.url, { max_new_tokens: 1 })).status === 200);
    const res = await generate(gateway.url, { max_new_tokens: 8, seed: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; output: Array<{ generated_text: string }> };
    expect(body.model).toBe('gpt2-twitter-vc@1');
    // The worker has no generation API of its own, only health and metrics.
    expect((await generate(worker.url, { max_new_tokens: 8 })).status).toBe(404);
    const bad = await fetch(`${gateway.url}/v1/models/gpt2-twitter-nope/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/no category "nope"/);
    const score = await fetch(`${gateway.url}/v1/models/gpt2-twitter-vc/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Seed rounds are back' }) });
    expect(score.status).toBe(200);
    expect(((await score.json()) as { tokens: unknown[] }).tokens.length).toBeGreaterThan(2);
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore } from '@ttt/artifacts';
import { QueueName, redisConnection } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import {
  closeFuzzAgents,
  coverageGaps,
  describeFailure,
  type FuzzRequest,
  type FuzzRoute,
  fuzzRequests,
  fuzzSeed,
  type JsonSchema,
  nestMiddlewareMounts,
  Rng,
  type RouteKey,
  routeKey,
  routesFromNestLog,
  runFuzz,
  type RunningService,
  sendRaw,
  settledSnapshot,
  snapshotDiff,
  snapshotQueues,
  snapshotTables,
  startServiceProcess,
  uncoveredMounts,
  healthWatch,
} from '@ttt/observability/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModelFolder } from './model-folder.js';
import { sampleTweets, seedCategory } from './model-fixture.js';

/**
 * Malformed input at every route of the inference service: each answer must be a 4xx JSON error
 * with a message, the service must stay healthy and keep serving, and nothing may be written or
 * queued. The routes come from the running app's route table and the paths its middleware is
 * mounted on; a route without a fuzz spec fails the test. FUZZ_SEED=<n> replays a run.
 */

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `test-inference-fuzz-${process.pid}`;
const JSON_LIMIT = 100 * 1024;
const MAX_NEW_TOKENS = 64;
const MODEL = 'gpt2-twitter-vc';

/** Middleware that wraps other routes rather than serving its own: not fuzzed, and why. */
const WRAPPING_MIDDLEWARE: Record<string, string> = { '/{*path}': 'request context (ids, logs) of every request' };

/** The bodies as docs/inference.md describes them. */
const generateSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prompt: { type: 'string', maxLength: 2000 },
    max_new_tokens: { type: 'integer', minimum: 1, maximum: MAX_NEW_TOKENS },
    min_length: { type: 'integer', minimum: 0, maximum: 1024 },
    temperature: { type: 'number', minimum: 0, maximum: 10 },
    top_k: { type: 'integer', minimum: 0, maximum: 50257 },
    top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    repetition_penalty: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
    num_return_sequences: { type: 'integer', minimum: 1, maximum: 16 },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
    return_full_text: { type: 'boolean' },
  },
};
const scoreSchema: JsonSchema = { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } } };

describe('inference service under malformed input', () => {
  let dir: string;
  let db: TestDatabase;
  let pool: pg.Pool;
  let redis: Redis;
  let service: RunningService;
  let appRoutes: RouteKey[];
  let mounts: RouteKey[];
  let routes: FuzzRoute[];
  const seed = fuzzSeed();

  const tables = () => snapshotTables(pool);
  const queues = () => snapshotQueues(redis, QUEUE_PREFIX, Object.values(QueueName));
  const post = (path: string, body: unknown) => fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    console.log(`inference fuzz seed ${seed} (replay: FUZZ_SEED=${seed})`);
    dir = await mkdtemp(join(tmpdir(), 'ttt-inference-fuzz-'));
    // A context of 128 tokens, so a long prompt is refused for its length.
    const model = await initModelFolder(join(dir, 'model'), { config: 'tiny', seed: 31, blockSize: 128, eosLogit: 2 });
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    const store = new LocalArtifactStore(join(dir, 'store'));
    await seedCategory(db.url, store, join(dir, 'staging'), { category: 'vc', tweets: sampleTweets(40), models: [{ dir: model, status: 'active' }] });
    // Version 2 is still training (not servable); "empty" has no model at all.
    await pool.query(`INSERT INTO model_versions (category_id, version, status, base, hyperparameters) SELECT category_id, 2, 'training', '{"kind":"scratch"}', '{}' FROM model_versions WHERE version = 1`);
    await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('empty', 'Nothing yet', now())`);
    // Marked evaluated, and no pool target: the service queues and writes nothing of its own.
    await pool.query(`UPDATE model_versions SET metrics = coalesce(metrics, '{}') || '{"evaluation": {"skipped": true}}'`);
    [service, mounts] = await Promise.all([
      startServiceProcess(entry, {
        DATABASE_URL: db.url,
        REDIS_URL,
        QUEUE_PREFIX,
        ARTIFACT_STORE_URL: store.rootUri,
        INFERENCE_CACHE_DIR: join(dir, 'cache'),
        INFERENCE_PRECISION: 'fp32',
        INFERENCE_MAX_NEW_TOKENS: String(MAX_NEW_TOKENS),
        INFERENCE_REFRESH_MS: '600000',
        POOL_TARGET: '0',
        // Nest prints its route table ("Mapped {…} route") at level log.
        LOG_LEVEL: 'log',
      }),
      // Routers mounted as middleware are not in Nest's route table: the app, built once more
      // without listening, says where its middleware is mounted. As a gateway: the same HTTP
      // surface, and no model to load.
      nestMiddlewareMounts({
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        appModule: fileURLToPath(new URL('../dist/app.module.js', import.meta.url)),
        config: fileURLToPath(new URL('../dist/config.js', import.meta.url)),
        env: { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: `${QUEUE_PREFIX}-mounts`, INFERENCE_ROLE: 'gateway', ARTIFACT_STORE_URL: store.rootUri },
      }),
    ]);
    appRoutes = routesFromNestLog(service.output());
    // The model loads in the background (503 until then): the refusals that need it loaded wait.
    const deadline = Date.now() + 60_000;
    while ((await post(`/v1/models/${MODEL}/generate`, { max_new_tokens: 1 })).status !== 200) {
      if (Date.now() > deadline) throw new Error(`the model did not load:\n${service.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    routes = fuzzRoutes();
  }, 180_000);

  afterAll(async () => {
    closeFuzzAgents();
    await service?.stop();
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnection(REDIS_URL), prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
    if (redis) {
      const keys = await redis.keys(`${QUEUE_PREFIX}-mounts:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis?.disconnect();
    await pool?.end();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function fuzzRoutes(): FuzzRoute[] {
    // Names that refuse any body; the served one only gets bad bodies.
    const contexts = [
      { label: 'served', params: { name: MODEL }, refuses: false },
      { label: 'pinned', params: { name: `${MODEL}@1` }, refuses: false },
      { label: 'no-such-category', params: { name: 'gpt2-twitter-nosuch' }, refuses: true },
      { label: 'no-such-version', params: { name: `${MODEL}@9` }, refuses: true },
      { label: 'not-servable', params: { name: `${MODEL}@2` }, refuses: true },
      { label: 'no-active-model', params: { name: 'gpt2-twitter-empty' }, refuses: true },
    ];
    const mayExist = (_: string, v: string) => /^gpt2-twitter-(vc|empty)(@[0-9]+)?$/.test(v);
    const unknown = contexts.filter((c) => c.refuses).map((c) => ({ label: c.label, params: c.params, status: 400 }));
    const longText = 'seed rounds are finally moving on remote work '.repeat(40);
    return [
      ...['/health', '/health/ready', '/metrics', '/v1/models'].map((path) => ({ method: 'GET', path })),
      {
        method: 'POST',
        path: '/v1/models/:name/generate',
        contexts,
        paramMayExist: mayExist,
        body: {
          schema: generateSchema,
          examples: [
            { prompt: 'Seed rounds are', max_new_tokens: 8, min_length: 0, temperature: 0.7, top_k: 40, top_p: 0.9, repetition_penalty: 1.1, num_return_sequences: 2, seed: 7, return_full_text: false },
            { max_new_tokens: 4, seed: 1 },
            { temperature: 0, top_k: 0, top_p: 1 },
          ],
          limitBytes: JSON_LIMIT,
        },
        refusals: [
          ...unknown.map((u) => ({ ...u, body: { max_new_tokens: 1 } })),
          { label: 'prompt-beyond-context', params: { name: MODEL }, body: { prompt: longText, max_new_tokens: 8 }, status: 400 },
        ],
        budget: 600,
      },
      {
        method: 'POST',
        path: '/v1/models/:name/score',
        contexts,
        paramMayExist: mayExist,
        body: { schema: scoreSchema, examples: [{ text: 'Seed rounds are finally moving on' }], limitBytes: JSON_LIMIT },
        refusals: [...unknown.map((u) => ({ ...u, body: { text: 'hello there' } })), { label: 'text-beyond-context', params: { name: MODEL }, body: { text: longText }, status: 400 }],
        budget: 400,
      },
    ];
  }

  it('has a fuzz spec for every route the app serves', () => {
    expect(appRoutes.length, `no "Mapped {…} route" lines in the service log:\n${service.output().slice(0, 2000)}`).toBeGreaterThan(3);
    const gaps = coverageGaps(appRoutes, routes);
    expect(gaps.unfuzzed, 'routes the app serves that the fuzzer does not cover: add them to fuzz.e2e.test.ts').toEqual([]);
    expect(gaps.unknown, 'fuzzed routes the app does not serve').toEqual([]);
    expect(uncoveredMounts(mounts, routes, WRAPPING_MIDDLEWARE), 'routers mounted as middleware that the fuzzer does not cover').toEqual([]);
  });

  it('refuses what the fuzzer found, before any work', async () => {
    const valid = JSON.stringify({ prompt: 'Seed rounds are', max_new_tokens: 8, seed: 3 });
    const found: FuzzRequest[] = [
      // 200: a body the JSON parser did not read passed for no body, and the defaults were generated.
      ...['text/plain', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=x', 'application/vnd.api+json', '*/*'].map((type) => ({
        route: 'POST /v1/models/:name/generate',
        kind: `content-type:${type}`,
        method: 'POST',
        path: `/v1/models/${MODEL}/generate`,
        headers: { 'content-type': type },
        body: valid,
        expect: [415],
      })),
      { route: 'POST /v1/models/:name/score', kind: 'content-type', method: 'POST', path: `/v1/models/${MODEL}/score`, headers: { 'content-type': 'text/plain' }, body: '{"text":"hello"}', expect: [415] },
      // 400, after a tgi_request_count series was made for the garbage name.
      { route: 'POST /v1/models/:name/generate', kind: 'garbage-name', method: 'POST', path: '/v1/models/fuzz%20garbage%F0%9F%98%80/generate', headers: { 'content-type': 'application/json' }, body: valid, expect: [400] },
    ];
    const tally = await runFuzz(service.url, found, { concurrency: 1 });
    expect(tally.failures.map(describeFailure)).toEqual([]);
    expect(await (await fetch(`${service.url}/metrics`)).text()).not.toContain('fuzz garbage');
    // A body sent as JSON, and none at all, are still served.
    expect((await post(`/v1/models/${MODEL}/generate`, { max_new_tokens: 2 })).status).toBe(200);
    expect((await fetch(`${service.url}/v1/models/${MODEL}/generate`, { method: 'POST' })).status).toBe(200);
  });

  it('answers every malformed request with a 4xx JSON message, keeps serving and writes nothing', async () => {
    const requests = fuzzRequests(routes, new Rng(seed));
    const beforeTables = await settledSnapshot(tables);
    const beforeQueues = await settledSnapshot(queues);
    const { check: health, problems: unhealthy } = healthWatch(service.url);
    const started = Date.now();
    const tally = await runFuzz(service.url, requests, { concurrency: 6, every: 400, between: health });
    await health(tally.sent);
    console.log(tally.summary('inference fuzz', seed, Date.now() - started));

    for (const r of appRoutes) expect(tally.perRoute.get(routeKey(r))?.size ?? 0, `no requests for ${routeKey(r)}`).toBeGreaterThan(0);
    expect.soft(tally.failures.map(describeFailure), `seed ${seed}`).toEqual([]);
    expect.soft(unhealthy).toEqual([]);
    expect.soft(service.process.exitCode).toBeNull();
    expect.soft(snapshotDiff(beforeTables, await tables()), 'tables written by refused requests').toEqual([]);
    expect.soft(snapshotDiff(beforeQueues, await queues()), 'jobs queued by refused requests').toEqual([]);
    // Names no model answers to, garbage or well-formed, leave no trace in the metrics.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const labels = new Set([...metrics.matchAll(/model="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!));
    const named = new Set([MODEL]);
    expect.soft([...labels].filter((l) => !named.has(l)), 'model labels of refused requests in /metrics').toEqual([]);
    // And it still serves.
    expect((await post(`/v1/models/${MODEL}/generate`, { max_new_tokens: 2, seed: 1 })).status).toBe(200);
    expect(tally.sent).toBeGreaterThan(1000);
  });
});


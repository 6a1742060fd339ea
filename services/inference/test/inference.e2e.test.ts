import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore } from '@ttt/artifacts';
import { EventName, QueueName, publishEvent, redisConnection } from '@ttt/contracts';
import { ModelVersionRepository } from '@ttt/db';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModelFolder, referenceDecode } from './model-folder.js';
import { type SeededVersion, sampleTweets, seedCategory } from './model-fixture.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `test-inference-${process.pid}`;

interface Generated {
  output: Array<{ generated_text: string; generated_tokens: number; finish_reason: string; seed: number }>;
  model: string;
  model_version_id: number;
}

const post = (base: string, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), signal });

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('inference service over HTTP', () => {
  let dir: string;
  let db: TestDatabase;
  let pool: pg.Pool;
  let service: RunningService;
  let vc: SeededVersion[];
  let modelA: string;
  const tokenizer = new Gpt2Tokenizer();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ttt-inference-'));
    [modelA] = await Promise.all([
      // The active models end their texts (the pool keeps only tweets that ended); model-b,
      // which almost never does, serves the greedy comparisons with the PyTorch reference.
      initModelFolder(join(dir, 'model-a'), { config: 'tiny', seed: 21, eosLogit: 2 }),
      initModelFolder(join(dir, 'model-b'), { config: 'tiny', seed: 22 }),
    ]);
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const store = new LocalArtifactStore(join(dir, 'store'));
    const seeded = await seedCategory(db.url, store, join(dir, 'staging'), {
      category: 'vc',
      tweets: sampleTweets(300),
      models: [
        { dir: modelA, status: 'active' },
        { dir: join(dir, 'model-b'), status: 'ready' },
      ],
    });
    vc = seeded.versions;
    await seedCategory(db.url, store, join(dir, 'staging'), { category: 'covid19', tweets: sampleTweets(120), models: [{ dir: modelA, status: 'active' }] });
    service = await startServiceProcess(entry, {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX,
      ARTIFACT_STORE_URL: store.rootUri,
      INFERENCE_CACHE_DIR: join(dir, 'cache'),
      INFERENCE_REFRESH_MS: '60000',
      POOL_TARGET: '30',
      POOL_CHECK_MS: '300',
      POOL_MAX_NEW_TOKENS: '30',
      EVALUATE_SAMPLES: '40',
      LOG_LEVEL: 'warn',
    });
    // Models load in the background; until then the service answers 503.
    await until('the vc model to load', async () => (await post(service.url, '/v1/models/gpt2-twitter-vc/generate', { max_new_tokens: 2 })).status === 200);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnection(REDIS_URL), prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
    await pool?.end();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every category model, its versions, the active one and their metrics', async () => {
    const res = await fetch(`${service.url}/v1/models`);
    expect(res.status).toBe(200);
    const { models } = (await res.json()) as { models: Array<{ name: string; active_version: number | null; versions: Array<{ name: string; active: boolean; status: string; metrics: Record<string, unknown> }> }> };
    const byName = new Map(models.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(['gpt2-twitter-covid19', 'gpt2-twitter-vc']);
    const model = byName.get('gpt2-twitter-vc')!;
    expect(model.active_version).toBe(1);
    expect(model.versions.map((v) => [v.name, v.status, v.active])).toEqual([
      ['gpt2-twitter-vc@1', 'active', true],
      ['gpt2-twitter-vc@2', 'ready', false],
    ]);
    expect(model.versions[0]!.metrics.valLoss).toBe(10.8);
  });

  it('answers {output: [{generated_text}]} from the active version, repeatably for a seed', async () => {
    const body = { max_new_tokens: 12, seed: 5, num_return_sequences: 3 };
    const first = (await (await post(service.url, '/v1/models/gpt2-twitter-vc/generate', body)).json()) as Generated;
    const again = (await (await post(service.url, '/v1/models/gpt2-twitter-vc/generate', body)).json()) as Generated;
    expect(first.model).toBe('gpt2-twitter-vc@1');
    expect(first.output.map((o) => o.seed)).toEqual([5, 6, 7]);
    expect(first.output.every((o) => typeof o.generated_text === 'string' && o.generated_tokens <= 12)).toBe(true);
    expect(again.output).toEqual(first.output);
    expect(new Set(first.output.map((o) => o.generated_text)).size).toBeGreaterThan(1);
  });

  it('decodes greedily token for token as the PyTorch reference, prompt first unless told otherwise', async () => {
    const prompt = 'Venture capital is';
    const ids = [50256, ...tokenizer.encode(prompt)];
    const reference = await referenceDecode(join(dir, 'model-b'), ids, 20);
    const end = reference.indexOf(50256);
    const expected = tokenizer.decode(end < 0 ? reference : reference.slice(0, end));
    const full = (await (await post(service.url, '/v1/models/gpt2-twitter-vc@2/generate', { prompt, max_new_tokens: 20, temperature: 0 })).json()) as Generated;
    expect(full.output[0]!.generated_text).toBe(prompt + expected);
    const bare = (await (await post(service.url, '/v1/models/gpt2-twitter-vc@2/generate', { prompt, max_new_tokens: 20, temperature: 0, return_full_text: false })).json()) as Generated;
    expect(bare.output[0]!.generated_text).toBe(expected);
  });

  it('serves a pinned version by name@version', async () => {
    const res = await post(service.url, '/v1/models/gpt2-twitter-vc@2/generate', { max_new_tokens: 5 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Generated).model).toBe('gpt2-twitter-vc@2');
  });

  it("scores each token of a text: its probability and rank under the model, the greedy pick ranked first", async () => {
    const greedy = (await (await post(service.url, '/v1/models/gpt2-twitter-vc@2/generate', { prompt: 'The fund', max_new_tokens: 6, temperature: 0, return_full_text: false })).json()) as Generated;
    const text = 'The fund' + greedy.output[0]!.generated_text;
    const res = await post(service.url, '/v1/models/gpt2-twitter-vc@2/score', { text });
    expect(res.status).toBe(200);
    const scored = (await res.json()) as { model: string; tokens: Array<{ token: string; id: number; probability: number; rank: number }> };
    expect(scored.model).toBe('gpt2-twitter-vc@2');
    expect(scored.tokens.map((t) => t.token).join('')).toBe(text);
    for (const t of scored.tokens) {
      expect(t.probability).toBeGreaterThan(0);
      expect(t.probability).toBeLessThanOrEqual(1);
      expect(t.rank).toBeGreaterThanOrEqual(1);
    }
    // The tokens after the prompt are the model's own greedy picks.
    const promptTokens = tokenizer.encode('The fund').length;
    expect(scored.tokens[promptTokens]!.rank).toBe(1);
  });

  it.each([
    ['a negative length', { max_new_tokens: -1 }, /max_new_tokens: at least 1/],
    ['a huge max_new_tokens', { max_new_tokens: 100_000 }, /max_new_tokens: at most 256/],
    ['a wrong type', { temperature: 'hot' }, /temperature: a number/],
    ['a fractional length', { max_new_tokens: 2.5 }, /max_new_tokens: a whole number/],
    ['an unknown field', { max_tokens: 5 }, /unknown field "max_tokens"/],
    ['top_p out of range', { top_p: 1.5 }, /top_p: at most 1/],
    ['a body that is not an object', '[1,2]', /a JSON object/],
    ['more tokens than the context holds', { max_new_tokens: 200 }, /exceeds gpt2-twitter-vc@1's context of 64 tokens/],
  ])('answers 400 with a message for %s', async (_what, body, message) => {
    const res = await post(service.url, '/v1/models/gpt2-twitter-vc/generate', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it.each([
    ['an unknown category', 'gpt2-twitter-nope', /no category "nope"/],
    ['a version that does not exist', 'gpt2-twitter-vc@9', /has no version 9/],
    ['a name of the wrong shape', 'gpt3-vc', /is not a model name/],
  ])('answers 400 for %s', async (_what, name, message) => {
    const res = await post(service.url, `/v1/models/${name}/generate`, {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('keeps each active version\'s pool full of filtered machine tweets, refilling what players used', async () => {
    const unserved = async () => (await pool.query('SELECT count(*)::int AS n FROM generated_tweets WHERE model_version_id = $1 AND served_at IS NULL', [vc[0]!.id])).rows[0].n as number;
    await until('the vc pool to fill', async () => (await unserved()) >= 30, 90_000);
    const { rows } = await pool.query('SELECT text, sampling, token_count FROM generated_tweets WHERE model_version_id = $1', [vc[0]!.id]);
    for (const r of rows) {
      expect(r.text).not.toMatch(/https?:\/\//);
      expect([...r.text.replace(/@\w+/g, '').trim()].length).toBeGreaterThanOrEqual(20);
      expect(r.sampling).toMatchObject({ temperature: 1, top_p: 0.95 });
    }
    const { rows: versions } = await pool.query('SELECT metrics FROM model_versions WHERE id = $1', [vc[0]!.id]);
    expect(versions[0].metrics.pool.accepted).toBeGreaterThanOrEqual(30);
    // Players take 20; the keeper tops the pool up again.
    await pool.query(`UPDATE generated_tweets SET served_at = now() WHERE id IN (SELECT id FROM generated_tweets WHERE model_version_id = $1 AND served_at IS NULL LIMIT 20)`, [vc[0]!.id]);
    expect(await unserved()).toBeLessThan(30);
    await until('the vc pool to refill', async () => (await unserved()) >= 30, 90_000);
  }, 200_000);

  it('evaluates each version and shows distinct-n, memorization and detector accuracy in GET /v1/models', async () => {
    const evaluation = await until(
      'an evaluation of vc@1',
      async () => {
        const { models } = (await (await fetch(`${service.url}/v1/models`)).json()) as { models: Array<{ name: string; versions: Array<{ version: number; metrics: Record<string, any> }> }> };
        return models.find((m) => m.name === 'gpt2-twitter-vc')?.versions.find((v) => v.version === 1)?.metrics.evaluation;
      },
      120_000,
    );
    expect(evaluation.samples).toBeGreaterThan(0);
    expect(evaluation.distinct1).toBeGreaterThan(0);
    expect(evaluation.distinct1).toBeLessThanOrEqual(1);
    expect(evaluation.memorizationRate).toBeGreaterThanOrEqual(0);
    // A random model's output is easy to tell from tweets.
    expect(evaluation.detectorAccuracy).toBeGreaterThan(0.8);
  }, 150_000);

  it('exports TGI-named metrics that a Prometheus parser reads', async () => {
    await post(service.url, '/v1/models/gpt2-twitter-covid19/generate', { prompt: 'Masks', max_new_tokens: 4 });
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    for (const name of ['tgi_request_count', 'tgi_request_success', 'tgi_queue_size', 'tgi_batch_current_size', 'tgi_request_duration', 'tgi_request_queue_duration', 'tgi_request_mean_time_per_token_duration', 'tgi_request_generated_tokens', 'tgi_batch_forward_duration', 'tgi_batch_inference_count']) {
      expect(families.has(name), name).toBe(true);
    }
    const count = families.get('tgi_request_count')!.metrics.find((m) => m.labels?.model === 'gpt2-twitter-vc');
    expect(Number(count!.value)).toBeGreaterThanOrEqual(5);
    const forwards = families.get('tgi_batch_inference_count')!.metrics.filter((m) => m.labels?.model === 'gpt2-twitter-covid19');
    expect(new Set(forwards.map((m) => m.labels?.method))).toEqual(new Set(['prefill', 'decode']));
    for (const name of ['tgi_batch_forward_duration', 'tgi_request_duration', 'tgi_request_mean_time_per_token_duration']) {
      const family = families.get(name)!;
      expect(family.type).toBe('HISTOGRAM');
      expect(Object.keys(family.metrics[0]!.buckets ?? {})).toContain('+Inf');
    }
  });

  it('swaps to a newly activated version under load without failing a request', async () => {
    const redis = new Redis(REDIS_URL);
    const statuses: number[] = [];
    const served = new Set<string>();
    let stop = false;
    const clients = Array.from({ length: 6 }, async (_, i) => {
      while (!stop) {
        const res = await post(service.url, '/v1/models/gpt2-twitter-vc/generate', { max_new_tokens: 8, seed: i });
        statuses.push(res.status);
        if (res.ok) served.add(((await res.json()) as Generated).model);
        else await res.text();
      }
    });
    try {
      await new Promise((r) => setTimeout(r, 500));
      await new ModelVersionRepository(pool).activate(vc[1]!.id);
      await publishEvent(redis, EventName.modelActivated, { modelVersionId: vc[1]!.id, category: 'vc' });
      await until('vc@2 to serve', async () => served.has('gpt2-twitter-vc@2'), 30_000);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      stop = true;
      await Promise.all(clients);
      await redis.quit();
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect([...served].sort()).toEqual(['gpt2-twitter-vc@1', 'gpt2-twitter-vc@2']);
  }, 60_000);
});

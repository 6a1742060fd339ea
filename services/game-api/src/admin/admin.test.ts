import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, runServiceToExit, startServiceProcess } from '@ttt/observability/testing';
import { QueueName, redisConnection } from '@ttt/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const KEY = 'test-admin-key-0123456789abcdef';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `test-game-api-admin-${process.pid}`;

describe('admin API: auth, categories, sources, models, docs', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let service: RunningService;
  let noKeys: RunningService;

  const call = (path: string, init: RequestInit & { json?: unknown; key?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const key = init.key === undefined ? KEY : init.key;
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${service.url}${path}`, { ...init, headers, body });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX, LOG_LEVEL: 'warn' };
    [service, noKeys] = await Promise.all([
      startServiceProcess(entry, { ...env, ADMIN_API_KEYS: `other-key-that-is-long-enough-1, ${KEY}` }),
      startServiceProcess(entry, env),
    ]);
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), noKeys?.stop()]);
    // The service's queues leave their meta keys behind.
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnection(REDIS_URL), prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await pool?.end();
    await db?.drop();
  });

  it('answers 401 with WWW-Authenticate without a key, with a wrong key, and when no keys are configured', async () => {
    for (const key of [null, 'wrong-key-wrong-key-wrong-key-00']) {
      const res = await call('/admin/categories', { key });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as { statusCode: number; message: string };
      expect(body.statusCode).toBe(401);
      expect(body.message).toMatch(key ? /invalid admin API key/ : /missing admin API key/);
    }
    const res = await fetch(`${noKeys.url}/admin/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/no keys configured/);
    expect((await call('/admin/categories')).status).toBe(200);
  });

  it('refuses to start with a key shorter than 24 characters, without printing it', async () => {
    const result = await runServiceToExit(entry, { DATABASE_URL: db.url, REDIS_URL, ADMIN_API_KEYS: `${KEY},short-secret` });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('ADMIN_API_KEYS is set but invalid; expected comma-separated keys of at least 24 characters');
    expect(result.stderr).not.toContain('short-secret');
  });

  it('adds and lists categories, 409 on a taken slug, 400 on bad bodies and malformed JSON', async () => {
    const created = await call('/admin/categories', { method: 'POST', json: { slug: 'vc', name: 'Venture Capital', description: 'VCs' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'vc', name: 'Venture Capital', sources: 0, tweets: 0, activeModel: null });
    const again = await call('/admin/categories', { method: 'POST', json: { slug: 'vc', name: 'Again' } });
    expect(again.status).toBe(409);

    const bad = async (init: Parameters<typeof call>[1], field: RegExp, path = '/admin/categories') => {
      const res = await call(path, { method: 'POST', ...init });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(field);
    };
    await bad({ json: { slug: 'Not A Slug', name: 'x' } }, /slug/);
    await bad({ json: { slug: 'ok', name: 5 } }, /name/);
    await bad({ json: { slug: 'ok', name: 'ok', colour: 'red' } }, /colour/);
    await bad({ headers: { 'content-type': 'application/json' }, body: '{"slug": "vc",' }, /JSON/i);
    await bad({ json: [1, 2] }, /body/);
    await bad({ json: { handles: 'pmarca' } }, /handles/, '/admin/categories/vc/sources');
    await bad({ json: { category: 'vc', extra: 1 } }, /extra/, '/admin/jobs/scrape');

    const list = (await (await call('/admin/categories')).json()) as { slug: string }[];
    expect(list.map((c) => c.slug)).toEqual(['vc']);
  });

  it('adds sources from JSON and from a text/plain handle list, reporting invalid lines; disables and enables them', async () => {
    const json = await call('/admin/categories/vc/sources', { method: 'POST', json: { handles: ['pmarca', '@paulg', 'not a handle!'] } });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ added: 2, alreadyPresent: 0, invalid: [{ line: 3, text: 'not a handle!', reason: expect.any(String) }] });

    const file = ['# name: Venture Capital', '', 'PMARCA  # known already', 'https://x.com/naval', 'waytoolonghandle_123', '@sama'].join('\n');
    const text = await call('/admin/categories/vc/sources', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: file });
    expect(text.status).toBe(200);
    expect(await text.json()).toEqual({ added: 2, alreadyPresent: 1, invalid: [{ line: 5, text: 'waytoolonghandle_123', reason: expect.any(String) }] });

    const bsky = await call('/admin/categories/vc/sources', { method: 'POST', json: { platform: 'bluesky', handles: ['alice.bsky.social'] } });
    expect(await bsky.json()).toEqual({ added: 1, alreadyPresent: 0, invalid: [] });

    const sources = (await (await call('/admin/categories/vc/sources')).json()) as { id: number; handle: string; platform: string; status: string }[];
    expect(sources.map((s) => `${s.platform}:${s.handle}`).sort()).toEqual(['bluesky:alice.bsky.social', 'x:naval', 'x:paulg', 'x:pmarca', 'x:sama']);

    const naval = sources.find((s) => s.handle === 'naval')!;
    const disabled = await call(`/admin/sources/${naval.id}/disable`, { method: 'POST' });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ id: naval.id, status: 'disabled' });
    const enabled = await call(`/admin/sources/${naval.id}/enable`, { method: 'POST' });
    expect(await enabled.json()).toMatchObject({ id: naval.id, status: 'active' });

    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM source_accounts`);
    expect(rows[0].n).toBe(5);
    const categories = (await (await call('/admin/categories')).json()) as { sources: number }[];
    expect(categories[0].sources).toBe(5);
  });

  it('answers 404 for an unknown category, source, model or job', async () => {
    expect((await call('/admin/categories/nope/sources')).status).toBe(404);
    expect((await call('/admin/categories/nope/sources', { method: 'POST', json: { handles: ['a'] } })).status).toBe(404);
    expect((await call('/admin/sources/999999/disable', { method: 'POST' })).status).toBe(404);
    expect((await call('/admin/sources/abc/enable', { method: 'POST' })).status).toBe(404);
    expect((await call('/admin/models/99999999999/activate', { method: 'POST' })).status).toBe(404);
    expect((await call('/admin/models/424242/retire', { method: 'POST' })).status).toBe(404);
    expect((await call('/admin/jobs/scrape', { method: 'POST', json: { category: 'nope' } })).status).toBe(404);
  });

  it('lists, activates (publishing model.activated) and retires model versions; 409 for a base model or one still training', async () => {
    const { rows: cat } = await pool.query(`SELECT id FROM categories WHERE slug = 'vc'`);
    const insert = async (categoryId: number | null, version: number, status: string) =>
      (
        await pool.query(
          `INSERT INTO model_versions (category_id, version, status, base, hyperparameters, metrics) VALUES ($1, $2, $3, '{}', '{}', $4) RETURNING id`,
          [categoryId, version, status, JSON.stringify({ valLoss: version })],
        )
      ).rows[0].id as number;
    const base = await insert(null, 1, 'ready');
    const v1 = await insert(cat[0].id, 1, 'active');
    const v2 = await insert(cat[0].id, 2, 'ready');
    const training = await insert(cat[0].id, 3, 'training');

    const models = (await (await call('/admin/models')).json()) as { id: number; status: string; metrics: unknown }[];
    expect(models.map((m) => [m.id, m.status])).toEqual([[base, 'ready'], [v1, 'active'], [v2, 'ready'], [training, 'training']]);
    expect(models[1].metrics).toEqual({ valLoss: 1 });

    const subscriber = new Redis(REDIS_URL);
    const messages: string[] = [];
    subscriber.on('message', (_channel, message) => messages.push(message));
    await subscriber.subscribe('model.activated');
    try {
      const activated = await call(`/admin/models/${v2}/activate`, { method: 'POST' });
      expect(activated.status).toBe(200);
      expect(await activated.json()).toMatchObject({ id: v2, status: 'active', category: 'vc' });
      await expect.poll(() => messages.map((m) => JSON.parse(m))).toContainEqual({ pattern: 'model.activated', data: { modelVersionId: v2, category: 'vc' } });
    } finally {
      subscriber.disconnect();
    }
    const { rows } = await pool.query(`SELECT id, status FROM model_versions WHERE id = ANY($1) ORDER BY id`, [[v1, v2]]);
    expect(rows.map((r) => r.status)).toEqual(['ready', 'active']);
    const categories = (await (await call('/admin/categories')).json()) as { activeModel: unknown }[];
    expect(categories[0].activeModel).toEqual({ id: v2, version: 2 });

    for (const id of [base, training]) {
      const refused = await call(`/admin/models/${id}/activate`, { method: 'POST' });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { message: string }).message).toMatch(id === base ? /base model/ : /is training, not ready/);
    }

    const retired = await call(`/admin/models/${v2}/retire`, { method: 'POST' });
    expect(retired.status).toBe(200);
    expect(await retired.json()).toMatchObject({ id: v2, status: 'retired' });
  });

  it('serves an OpenAPI 3.1 document of every admin route and a docs page, without a key', async () => {
    const res = await call('/admin/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'GET /admin/categories',
        'POST /admin/categories',
        'GET /admin/categories/{slug}/sources',
        'POST /admin/categories/{slug}/sources',
        'POST /admin/sources/{id}/disable',
        'POST /admin/sources/{id}/enable',
        'POST /admin/jobs/scrape',
        'POST /admin/jobs/build-dataset',
        'POST /admin/jobs/train',
        'POST /admin/jobs/import',
        'POST /admin/jobs/generate',
        'POST /admin/jobs/evaluate',
        'GET /admin/jobs/{id}',
        'POST /admin/jobs/{id}/cancel',
        'POST /admin/jobs/{id}/retry',
        'GET /admin/models',
        'POST /admin/models/{id}/activate',
        'POST /admin/models/{id}/retire',
        'GET /admin/openapi.json',
        'GET /admin/docs',
      ].sort(),
    );
    expect(doc.paths['/admin/categories'].post.requestBody!.content['application/json'].schema.properties).toHaveProperty('slug');
    expect(doc.paths['/admin/categories/{slug}/sources'].post.requestBody!.content).toHaveProperty('text/plain');
    expect(doc.paths['/admin/jobs/train'].post.requestBody!.content['application/json'].schema.properties).toHaveProperty('datasetIds');

    // Each documented route exists: without a key the guard answers 401 (an unknown route is a 404).
    for (const route of routes.filter((r) => !/openapi|docs/.test(r))) {
      const [method, path] = route.split(' ');
      const res = await call(path.replace('{slug}', 'vc').replace('{id}', '1'), { method, key: null });
      expect(res.status, route).toBe(401);
    }

    const page = await call('/admin/docs', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('openapi.json');
  });
});

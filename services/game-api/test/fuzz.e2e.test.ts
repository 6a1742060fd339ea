import { fileURLToPath } from 'node:url';
import { QueueName } from '@ttt/contracts';
import {
  closeFuzzAgents,
  coverageGaps,
  describeFailure,
  type FuzzRequest,
  type FuzzRoute,
  fuzzRequests,
  fuzzSeed,
  isValid,
  type JsonSchema,
  nestMiddlewareMounts,
  type OpenApiRoute,
  Rng,
  type RouteKey,
  routeKey,
  routesFromNestLog,
  routesFromOpenApi,
  runFuzz,
  type RunningService,
  sendRaw,
  settledSnapshot,
  snapshotDiff,
  snapshotQueues,
  snapshotTables,
  uncoveredMounts,
  healthWatch,
} from '@ttt/observability/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGameWorld, type GameWorld, Player, REDIS_URL } from './game-fixture.js';

/**
 * Malformed input at every route game-api serves, public and admin: each answer must be a 4xx
 * JSON error with a message, the service must stay healthy, and no table or queue may change.
 * The routes come from the running app: Nest's route table (its start-up log), the admin
 * OpenAPI document, the paths its middleware is mounted on, and bull-board's own route table
 * for the queues' board. A route without a fuzz spec fails the test. FUZZ_SEED=<n> replays a
 * run with the same requests.
 */

const ADMIN_KEY = 'fuzz-admin-key-0123456789abcdefghij';
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
const JSON_LIMIT = 100 * 1024;
const TEXT_LIMIT = 1024 * 1024;
const PLAYABLE = ['vc', 'covid19'];
/** Where the queues' board (bull-board) is mounted, as middleware. */
const BOARD = '/admin/queues';

/** Middleware that wraps other routes rather than serving its own: not fuzzed, and why. */
const WRAPPING_MIDDLEWARE: Record<string, string> = {
  '/api/{*path}': 'Cache-Control: no-store on game answers',
  '/{*path}': 'request context (ids, logs) of every request; the web app: static files, and index.html for GET of any other path',
};

/**
 * What the API refuses in any JSON body whatever its schema: a NUL in a text or key (Postgres
 * stores none, in text or jsonb), or containers nested more than 32 deep.
 */
function unstorable(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string' && v.includes('\u0000')) return true;
    if (v && typeof v === 'object') {
      if (depth > 32) return true;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

const badFor = (schema: JsonSchema) => (body: unknown) => !isValid(schema, body) || unstorable(body);

/** Valid bodies of the admin routes: what the mutations start from (never sent as they are). */
const ADMIN_EXAMPLES: Record<string, unknown[]> = {
  'POST /admin/categories': [{ slug: 'fuzzcat', name: 'Fuzz category', description: 'made by the fuzzer' }, { slug: 'fc', name: 'F' }],
  'POST /admin/categories/:slug/sources': [{ platform: 'x', handles: ['fuzz_handle', 'other_one'] }, { platform: 'bluesky', handles: ['alice.bsky.social'] }, { handles: ['solo'] }],
  'POST /admin/jobs/scrape': [{ category: 'vc' }],
  'POST /admin/jobs/build-dataset': [{ category: 'vc', filters: { dropReplies: false, minChars: 10, dedupe: 'exact' }, valFraction: 0.1, seed: 3 }, { category: 'vc' }],
  'POST /admin/jobs/train': [
    { datasetIds: [1, 2], base: { kind: 'scratch', config: { n_layer: 2 } }, hyperparameters: { lr: 0.001 } },
    { datasetIds: [1], base: { kind: 'version', modelVersionId: 1 } },
    { datasetIds: [1], base: { kind: 'hub', name: 'gpt2' } },
    { datasetIds: [1], base: { kind: 'weights', location: '/models/w' } },
  ],
  'POST /admin/jobs/import': [{ category: 'vc', from: '/data/vc.jsonl.gz' }, { category: 'vc', from: 'https://example.com/vc.jsonl' }],
  'POST /admin/jobs/generate': [{ modelVersionId: 1, count: 10 }],
  'POST /admin/jobs/evaluate': [{ modelVersionId: 1 }],
};

describe('game-api under malformed input', () => {
  let world: GameWorld;
  let game: RunningService;
  let redis: Redis;
  let appRoutes: RouteKey[];
  let openApi: OpenApiRoute[];
  let routes: FuzzRoute[];
  let boardRoutes: FuzzRoute[] = [];
  let mounts: RouteKey[];
  const seed = fuzzSeed();
  const state = { roundOpen: '', roundGuessed: '', roundExpired: '', cookieA: '', cookieB: '', sourceId: 0, jobId: '', trainingVersion: 0 };

  const tables = () => snapshotTables(world.pool);
  const queues = () => snapshotQueues(redis, world.prefix, Object.values(QueueName));

  beforeAll(async () => {
    console.log(`game-api fuzz seed ${seed} (replay: FUZZ_SEED=${seed})`);
    world = await createGameWorld('fuzz', { poolSize: 40 });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    // LOG_LEVEL=log: Nest prints its route table ("Mapped {…} route") at start.
    const env = { ADMIN_API_KEYS: ADMIN_KEY, LOG_LEVEL: 'log', GAME_RATE_SESSION_PER_MIN: '1000000', GAME_RATE_IP_PER_MIN: '1000000' };
    [game, mounts] = await Promise.all([
      world.startGame(env),
      // Routers mounted as middleware are not in Nest's route table: the app, built once more
      // without listening, says where its middleware is mounted.
      nestMiddlewareMounts({
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        appModule: fileURLToPath(new URL('../dist/app.module.js', import.meta.url)),
        config: fileURLToPath(new URL('../dist/config.js', import.meta.url)),
        env: { ...env, DATABASE_URL: world.db.url, REDIS_URL, QUEUE_PREFIX: `${world.prefix}-mounts`, GAME_SESSION_SECRET: 'x'.repeat(32) },
      }),
    ]);
    appRoutes = routesFromNestLog(game.output());
    openApi = routesFromOpenApi(await (await fetch(`${game.url}/admin/openapi.json`)).json());

    // The things well-formed requests may name: made here, before the snapshot.
    const a = new Player(game.url);
    expect((await a.call('PUT', '/api/me', { nickname: 'fuzzer' })).status).toBe(200);
    const open = await a.call('POST', '/api/rounds', { category: 'vc' });
    const guessed = await a.call('POST', '/api/rounds', { category: 'vc' });
    expect([open.status, guessed.status]).toEqual([201, 201]);
    expect((await a.call('POST', `/api/rounds/${guessed.body.id}/guess`, { guess: 'human' })).status).toBe(200);
    state.roundOpen = open.body.id;
    state.roundGuessed = guessed.body.id;
    state.roundExpired = 'fuzzExpiredRound000000';
    await world.pool.query(
      `INSERT INTO rounds SELECT (jsonb_populate_record(NULL::rounds, to_jsonb(r) || jsonb_build_object('id', $2::text, 'expires_at', now() - interval '1 hour'))).* FROM rounds r WHERE r.id = $1`,
      [state.roundOpen, state.roundExpired],
    );
    state.cookieA = a.cookie!;
    const b = new Player(game.url);
    await b.call('GET', '/api/me');
    state.cookieB = b.cookie!;
    const added = await fetch(`${game.url}/admin/categories/vc/sources`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ handles: ['fuzz_source'] }) });
    expect(added.status).toBe(200);
    const { rows: sources } = await world.pool.query(`SELECT id FROM source_accounts WHERE handle = 'fuzz_source'`);
    state.sourceId = sources[0].id;
    const job = await fetch(`${game.url}/admin/jobs/scrape`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ category: 'vc' }) });
    expect(job.status).toBe(202);
    state.jobId = ((await job.json()) as { id: string }).id;
    const { rows: training } = await world.pool.query(
      `INSERT INTO model_versions (category_id, version, status, base, hyperparameters) VALUES ($1, 99, 'training', '{"kind":"scratch"}', '{}') RETURNING id`,
      [world.editions.vc!.categoryId],
    );
    state.trainingVersion = training[0].id;
    routes = fuzzRoutes();
    if (mounts.some((m) => m.path === BOARD)) boardRoutes = await queuesBoardRoutes();
  });

  afterAll(async () => {
    closeFuzzAgents();
    if (world && redis) {
      // The mounts listing's process registered its queues under a prefix of its own.
      const keys = await redis.keys(`${world.prefix}-mounts:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis?.disconnect();
    await world?.close();
  });

  /**
   * The board's JSON API, from bull-board's own route table, under BOARD. Queue names and job
   * ids are garbage or name nothing (a real queue would be paused, emptied, obliterated); the
   * one real queue gets only a payload its job schema refuses.
   */
  async function queuesBoardRoutes(): Promise<FuzzRoute[]> {
    const { appRoutes } = (await import('@bull-board/api/dist/routes.js')) as { appRoutes: { api: { method: string; route: string | string[] }[] } };
    const queues = new Set<string>(Object.values(QueueName));
    const object: JsonSchema = { type: 'object' };
    const bodies: Record<string, JsonSchema> = {
      add: { type: 'object', properties: { name: { type: 'string' }, data: object, options: object }, required: ['name', 'data'] },
      concurrency: { type: 'object', properties: { concurrency: { type: 'integer', minimum: 1 } }, required: ['concurrency'] },
      'update-data': { type: 'object', properties: { data: object }, required: ['data'] },
    };
    return appRoutes.api.flatMap(({ method, route }) =>
      (Array.isArray(route) ? route : [route]).map((path): FuzzRoute => {
        const last = path.split('/').pop()!;
        const schema = bodies[last];
        return {
          method: method.toUpperCase(),
          path: `${BOARD}${path}`,
          auth: { headers: ADMIN, status: 401 },
          paramMayExist: (name, v) => (name === 'queueName' ? queues.has(v.trim()) : name === 'jobId' ? /^\s*[0-9]+\s*$/.test(v) : false),
          contexts: path.includes(':jobId') ? [{ label: 'no-such-job', params: { queueName: QueueName.scrape, jobId: '999999', queueStatus: 'failed' }, refuses: true }] : [],
          body: schema ? { schema, examples: [{ name: 'x', data: {}, options: {}, concurrency: 1 }].map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k in (schema.properties ?? {})))), limitBytes: JSON_LIMIT } : undefined,
          // The board is read-only (its actions would skip the admin API's payload checks):
          // adding a job, even one its schema refuses, or cleaning by a made-up status is 405.
          refusals:
            last === 'add'
              ? [{ label: 'payload-its-schema-refuses', params: { queueName: QueueName.scrape }, body: { name: QueueName.scrape, data: { category: 'Not A Slug!' } }, status: 405 }]
              : path.includes(':queueStatus')
                ? [{ label: 'no-such-status', params: { queueName: QueueName.scrape, queueStatus: 'bogus' }, status: 405 }]
                : undefined,
          budget: 20,
        };
      }),
    );
  }

  function fuzzRoutes(): FuzzRoute[] {
    const slugs = new Set(['vc', 'covid19', 'democrats', 'empty']);
    const mayBeId = (_: string, v: string) => /^[1-9][0-9]*$/.test(v.trim());
    const cookie = (c: string) => ({ cookie: c });
    const out: FuzzRoute[] = [];
    // The admin API: every documented operation, its body schema from the document.
    for (const op of openApi) {
      const key = routeKey(op);
      const route: FuzzRoute = { method: op.method, path: op.path, auth: op.public ? undefined : { headers: ADMIN, status: 401 } };
      if (op.body) {
        route.body = { schema: op.body, examples: ADMIN_EXAMPLES[key], isBad: badFor(op.body), limitBytes: JSON_LIMIT, textLimitBytes: op.text ? TEXT_LIMIT : undefined };
      }
      if (op.path.includes(':slug')) {
        route.paramMayExist = (_, v) => slugs.has(v);
        route.contexts = [{ label: 'no-such-category', params: { slug: 'nosuchcat' }, refuses: true }];
        if (op.method === 'POST') route.contexts.push({ label: 'vc', params: { slug: 'vc' }, refuses: false });
      }
      if (op.query.length) {
        const enums = Object.fromEntries(op.query.map((q) => [q.name, q.enum]));
        route.query = {
          names: op.query.map((q) => q.name),
          values: op.query.flatMap((q) => q.enum ?? []),
          isBad: (q) => Object.entries(enums).some(([name, values]) => q[name] !== undefined && !(typeof q[name] === 'string' && (values ?? []).includes(q[name] as string))),
        };
      }
      if (op.path.startsWith('/admin/sources/') || op.path.startsWith('/admin/models/')) route.paramMayExist = mayBeId;
      if (op.path.startsWith('/admin/jobs/:id')) route.paramMayExist = (_, v) => /^[a-z-]+:\s*[0-9]+\s*$/.test(v);
      if (key === 'POST /admin/jobs/:id/retry') route.contexts = [{ label: 'waiting-job', params: { id: state.jobId }, refuses: true }];
      if (key === 'POST /admin/models/:id/activate') route.contexts = [{ label: 'training-version', params: { id: String(state.trainingVersion) }, refuses: true }];
      route.refusals = {
        'POST /admin/categories': [{ label: 'slug-taken', body: { slug: 'vc', name: 'Again' }, status: 409 }],
        'POST /admin/categories/:slug/sources': [
          { label: 'no-such-category', params: { slug: 'nosuchcat' }, body: { handles: ['someone'] }, status: 404 },
          { label: 'no-such-category-text', params: { slug: 'nosuchcat' }, body: 'someone\nother\n', status: 404 },
        ],
        'GET /admin/categories/:slug/sources': [{ label: 'no-such-category', params: { slug: 'nosuchcat' }, status: 404 }],
        'POST /admin/sources/:id/disable': [{ label: 'no-such-source', params: { id: '999999' }, status: 404 }],
        'POST /admin/sources/:id/enable': [{ label: 'no-such-source', params: { id: '999999' }, status: 404 }],
        'POST /admin/jobs/scrape': [{ label: 'no-such-category', body: { category: 'nosuchcat' }, status: 404 }],
        'GET /admin/jobs/:id': [{ label: 'no-such-job', params: { id: 'scrape:999999' }, status: 404 }],
        'POST /admin/jobs/:id/cancel': [{ label: 'no-such-job', params: { id: 'train:999999' }, status: 404 }],
        'POST /admin/jobs/:id/retry': [{ label: 'not-failed', params: { id: state.jobId }, status: 409 }],
        'POST /admin/models/:id/activate': [{ label: 'not-ready', params: { id: String(state.trainingVersion) }, status: 409 }],
        'POST /admin/models/:id/retire': [{ label: 'no-such-version', params: { id: '999999' }, status: 404 }],
      }[key];
      out.push(route);
    }
    // The game's API (docs/game-api.md) and the service endpoints: no machine-readable document.
    const nickname: JsonSchema = { type: 'object', properties: { nickname: { type: 'string' } }, required: ['nickname'], additionalProperties: false };
    const category: JsonSchema = { type: 'object', properties: { category: { type: 'string', enum: PLAYABLE } }, required: ['category'], additionalProperties: false };
    const guess: JsonSchema = { type: 'object', properties: { guess: { type: 'string', enum: ['human', 'machine'] } }, required: ['guess'], additionalProperties: false };
    const mayBeRound = (_: string, v: string) => /^[A-Za-z0-9_-]{22}$/.test(v);
    out.push(
      ...['/health', '/health/ready', '/metrics', '/api/editions', '/api/stats', '/api/me'].map((path) => ({ method: 'GET', path })),
      {
        method: 'PUT',
        path: '/api/me',
        headers: cookie(state.cookieA),
        body: {
          schema: nickname,
          examples: [{ nickname: 'Ada Lovelace' }, { nickname: 'x_y-z.1' }],
          // 1-24 letters, digits, spaces, _ - . once trimmed and spaces collapsed.
          isBad: (b) => {
            const n = (b as { nickname?: unknown } | null)?.nickname;
            if (!isValid(nickname, b) || unstorable(b) || typeof n !== 'string') return true;
            const t = n.trim().replace(/\s+/g, ' ');
            return !(t.length >= 1 && t.length <= 24 && /^[\p{L}\p{N} _.-]+$/u.test(t));
          },
          limitBytes: JSON_LIMIT,
        },
      },
      { method: 'POST', path: '/api/rounds', body: { schema: category, examples: [{ category: 'vc' }, { category: 'covid19' }], isBad: badFor(category), limitBytes: JSON_LIMIT }, refusals: [{ label: 'edition-without-model', body: { category: 'empty' }, status: 400 }] },
      {
        method: 'POST',
        path: '/api/rounds/:id/guess',
        paramMayExist: mayBeRound,
        contexts: [
          { label: 'own-open-round', params: { id: state.roundOpen }, headers: cookie(state.cookieA), refuses: false },
          { label: 'others-round', params: { id: state.roundOpen }, headers: cookie(state.cookieB), refuses: true },
          { label: 'guessed-round', params: { id: state.roundGuessed }, headers: cookie(state.cookieA), refuses: true },
          { label: 'expired-round', params: { id: state.roundExpired }, headers: cookie(state.cookieA), refuses: true },
        ],
        body: { schema: guess, examples: [{ guess: 'human' }, { guess: 'machine' }], isBad: badFor(guess), limitBytes: JSON_LIMIT },
        refusals: [
          { label: 'others-round', params: { id: state.roundOpen }, headers: cookie(state.cookieB), body: { guess: 'human' }, status: 403 },
          { label: 'guessed-round', params: { id: state.roundGuessed }, headers: cookie(state.cookieA), body: { guess: 'machine' }, status: 409 },
          { label: 'expired-round', params: { id: state.roundExpired }, headers: cookie(state.cookieA), body: { guess: 'human' }, status: 410 },
          { label: 'no-such-round', params: { id: 'AAAAAAAAAAAAAAAAAAAAAA' }, headers: cookie(state.cookieA), body: { guess: 'human' }, status: 404 },
        ],
      },
      {
        method: 'GET',
        path: '/api/rounds/:id/tokens',
        paramMayExist: mayBeRound,
        contexts: [{ label: 'not-guessed-yet', params: { id: state.roundOpen }, headers: cookie(state.cookieA), refuses: true }],
        refusals: [
          { label: 'not-guessed-yet', params: { id: state.roundOpen }, headers: cookie(state.cookieA), status: 409 },
          { label: 'no-such-round', params: { id: 'AAAAAAAAAAAAAAAAAAAAAA' }, status: 404 },
        ],
      },
      {
        method: 'GET',
        path: '/api/leaderboard',
        query: {
          names: ['edition', 'period'],
          values: [...PLAYABLE, 'today', 'all'],
          isBad: (q) => !(typeof q.edition === 'string' && PLAYABLE.includes(q.edition)) || !(q.period === undefined || q.period === 'today' || q.period === 'all'),
        },
        refusals: [
          { label: 'no-such-edition', query: 'edition=nope&period=all', status: 400 },
          { label: 'bad-period', query: 'edition=vc&period=week', status: 400 },
        ],
      },
    );
    return out;
  }

  it('has a fuzz spec for every route the app serves, and the admin document matches the app', () => {
    expect(appRoutes.length, `no "Mapped {…} route" lines in the service log:\n${game.output().slice(0, 2000)}`).toBeGreaterThan(10);
    const gaps = coverageGaps(appRoutes, routes);
    expect(gaps.unfuzzed, 'routes the app serves that the fuzzer does not cover: add them to fuzz.e2e.test.ts').toEqual([]);
    expect(gaps.unknown, 'fuzzed routes the app does not serve').toEqual([]);
    const adminInApp = appRoutes.filter((r) => r.path.startsWith('/admin')).map(routeKey).sort();
    expect(openApi.map(routeKey).sort(), 'admin routes missing from /admin/openapi.json (or documented but not served)').toEqual(adminInApp);
    expect(uncoveredMounts(mounts, [...routes, ...boardRoutes], WRAPPING_MIDDLEWARE), 'routers mounted as middleware that the fuzzer does not cover').toEqual([]);
  });

  it('refuses what the fuzzer found, with a 4xx and without writing', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const json = { 'content-type': 'application/json' };
    const found: (FuzzRequest & { expect: number[] })[] = [
      // 500: Postgres refuses a NUL in a query parameter ("invalid byte sequence for encoding UTF8: 0x00").
      { route: 'GET /admin/categories/:slug/sources', kind: 'nul-slug', method: 'GET', path: '/admin/categories/a%00b/sources', headers: ADMIN, expect: [404] },
      { route: 'POST /admin/categories/:slug/sources', kind: 'nul-slug', method: 'POST', path: '/admin/categories/%00/sources', headers: { ...ADMIN, ...json }, body: '{"handles":["someone"]}', expect: [404] },
      { route: 'POST /admin/categories', kind: 'nul-name', method: 'POST', path: '/admin/categories', headers: { ...ADMIN, ...json }, body: '{"slug":"nulname","name":"a\\u0000b"}', expect: [400] },
      { route: 'POST /admin/categories', kind: 'nul-description', method: 'POST', path: '/admin/categories', headers: { ...ADMIN, ...json }, body: '{"slug":"nuldesc","name":"ok","description":"\\u0000"}', expect: [400] },
      // 500: BullMQ's JSON.stringify overflowed the stack on a body nested thousands deep.
      { route: 'POST /admin/jobs/train', kind: 'deep', method: 'POST', path: '/admin/jobs/train', headers: { ...ADMIN, ...json }, body: `{"datasetIds":[1],"base":{"kind":"scratch","config":{}},"hyperparameters":${deep(5000)}}`, expect: [400] },
      { route: 'POST /admin/jobs/train', kind: 'deep', method: 'POST', path: '/admin/jobs/train', headers: { ...ADMIN, ...json }, body: `{"datasetIds":[1],"base":{"kind":"scratch","config":${deep(40)}}}`, expect: [400] },
      // 202: queued jobs no worker can run (a NUL in a path; one in a key zod then dropped).
      { route: 'POST /admin/jobs/import', kind: 'nul-path', method: 'POST', path: '/admin/jobs/import', headers: { ...ADMIN, ...json }, body: '{"category":"vc","from":"/data/\\u0000.jsonl"}', expect: [400] },
      { route: 'POST /admin/jobs/train', kind: 'nul-key', method: 'POST', path: '/admin/jobs/train', headers: { ...ADMIN, ...json }, body: '{"datasetIds":[1],"base":{"kind":"hub","name":"gpt2","x\\u0000":1}}', expect: [400] },
      // 400, but a player row was written first: the edition is now checked before.
      { route: 'POST /api/rounds', kind: 'unknown-edition', method: 'POST', path: '/api/rounds', headers: json, body: '{"category":"nope"}', expect: [400] },
      { route: 'POST /api/rounds', kind: 'edition-without-model', method: 'POST', path: '/api/rounds', headers: json, body: '{"category":"empty"}', expect: [400] },
    ];
    const beforeTables = await settledSnapshot(tables);
    const beforeQueues = await settledSnapshot(queues);
    const tally = await runFuzz(game.url, found, { concurrency: 1 });
    expect(tally.failures.map(describeFailure)).toEqual([]);
    expect(snapshotDiff(beforeTables, await tables())).toEqual([]);
    expect(snapshotDiff(beforeQueues, await queues())).toEqual([]);
  });

  /** Sends the routes' malformed requests; checks every answer, health, tables and queues. */
  async function fuzz(title: string, fuzzed: FuzzRoute[]) {
    const requests = fuzzRequests(fuzzed, new Rng(seed));
    const beforeTables = await settledSnapshot(tables);
    const beforeQueues = await settledSnapshot(queues);
    const { check: health, problems: unhealthy } = healthWatch(game.url);
    const started = Date.now();
    const tally = await runFuzz(game.url, requests, { concurrency: 6, every: 400, between: health });
    await health(tally.sent);
    console.log(tally.summary(title, seed, Date.now() - started));
    for (const r of fuzzed) expect(tally.perRoute.get(routeKey(r))?.size ?? 0, `no requests for ${routeKey(r)}`).toBeGreaterThan(0);
    expect.soft(tally.failures.map(describeFailure).join('\n'), `seed ${seed}`).toBe('');
    expect.soft(unhealthy).toEqual([]);
    expect.soft(game.process.exitCode).toBeNull();
    expect.soft(snapshotDiff(beforeTables, await tables()), 'tables written by refused requests').toEqual([]);
    expect.soft(snapshotDiff(beforeQueues, await queues()), 'jobs queued by refused requests').toEqual([]);
    return tally;
  }

  it('answers every malformed request with a 4xx JSON message, stays healthy and writes nothing', async () => {
    const tally = await fuzz('game-api fuzz', routes);
    // Nothing reached a prototype: the guard still refuses, answers carry no polluted keys.
    expect((await sendRaw(game.url, { route: 'x', kind: 'x', method: 'GET', path: '/admin/categories' })).status).toBe(401);
    expect((await sendRaw(game.url, { route: 'x', kind: 'x', method: 'GET', path: '/api/me' })).text).not.toMatch(/polluted|isAdmin/);
    expect(tally.sent).toBeGreaterThan(1500);
  });

  it('answers malformed requests to the queues board (bull-board, /admin/queues) alike', async () => {
    expect(boardRoutes.length, 'the queues board is mounted at /admin/queues').toBeGreaterThan(0);
    // Its pages are HTML for any queue name (the board's own client routes them): only their key is checked.
    const pages = ['', '/', '/queue/scrape', '/queue/nope/1'].map((p): FuzzRequest => ({ route: `GET ${BOARD}`, kind: 'auth', method: 'GET', path: `${BOARD}${p}`, expect: [401] }));
    const pageTally = await runFuzz(game.url, pages, { concurrency: 2 });
    expect.soft(pageTally.failures.map(describeFailure)).toEqual([]);
    await fuzz('queues board fuzz', boardRoutes);
  });
});


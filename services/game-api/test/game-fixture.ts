import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore } from '@ttt/artifacts';
import { QueueName, redisConnection } from '@ttt/contracts';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import { initModelFolder } from '../../inference/test/model-folder.js';
import { sampleTweets, seedCategory } from '../../inference/test/model-fixture.js';

export const gameEntry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const inferenceEntry = fileURLToPath(new URL('../../inference/dist/main.js', import.meta.url));
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdefghij';

export interface GameWorld {
  dir: string;
  db: TestDatabase;
  pool: pg.Pool;
  store: LocalArtifactStore;
  prefix: string;
  /** Category ids and active model versions, by slug. */
  editions: Record<string, { categoryId: number; versionId: number }>;
  startGame(env?: Record<string, string>): Promise<RunningService>;
  startInference(env?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

/**
 * A database with playable editions: `vc` and `covid19` with human tweets, an active tiny model
 * and a pool of machine tweets; `democrats` with an active model and an empty pool; `empty`
 * with neither. The model is a real (random) GPT-2 the inference service can load, made to end
 * its texts after a dozen tokens or so, as a trained one does.
 */
export async function createGameWorld(name: string, options: { poolSize?: number } = {}): Promise<GameWorld> {
  const dir = await mkdtemp(join(tmpdir(), `ttt-game-${name}-`));
  // With the game's top-k of 50, a logit of 2 gives end-of-text about a 1 in 10 chance a step.
  const model = await initModelFolder(join(dir, 'model'), { config: 'tiny', seed: 5, blockSize: 128, eosLogit: 2 });
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const store = new LocalArtifactStore(join(dir, 'store'));
  const prefix = `test-game-${name}-${process.pid}`;
  const editions: GameWorld['editions'] = {};
  for (const slug of ['vc', 'covid19', 'democrats']) {
    const seeded = await seedCategory(db.url, store, join(dir, 'staging'), { category: slug, tweets: sampleTweets(120), models: [{ dir: model, status: 'active' }] });
    editions[slug] = { categoryId: seeded.categoryId, versionId: seeded.versions[0]!.id };
  }
  await pool.query(`UPDATE tweets SET author_handle = 'author_' || id, author_name = 'Author ' || id, like_count = id * 3, retweet_count = id`);
  await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('empty', 'Nothing yet', now())`);
  const poolSize = options.poolSize ?? 150;
  for (const slug of ['vc', 'covid19']) {
    await pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, 'A machine wrote this about ' || $2 || ' number ' || g, '{"temperature":1,"top_k":50,"top_p":0.95,"seed":7}', 12 FROM generate_series(1, $3) g`,
      [editions[slug]!.versionId, slug, poolSize],
    );
  }
  const running: RunningService[] = [];
  const base = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
  return {
    dir,
    db,
    pool,
    store,
    prefix,
    editions,
    async startGame(env = {}) {
      const service = await startServiceProcess(gameEntry, { ...base, GAME_SESSION_SECRET: SESSION_SECRET, INFERENCE_URL: 'http://127.0.0.1:9', ...env });
      running.push(service);
      return service;
    },
    async startInference(env = {}) {
      const service = await startServiceProcess(inferenceEntry, {
        ...base,
        ARTIFACT_STORE_URL: store.rootUri,
        INFERENCE_CACHE_DIR: join(dir, 'cache'),
        POOL_TARGET: '0',
        INFERENCE_PRECISION: 'fp32',
        ...env,
      });
      running.push(service);
      return service;
    },
    async close() {
      await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
      for (const queueName of Object.values(QueueName)) {
        const queue = new Queue(queueName, { connection: redisConnection(REDIS_URL), prefix });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
      await pool.end();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A player: keeps the session cookie the server set, like a browser. */
export class Player {
  cookie: string | undefined;

  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers; raw: string }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const raw = await res.text();
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed, headers: res.headers, raw };
  }
}

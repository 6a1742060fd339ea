import { execFile } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalArtifactStore } from '@ttt/artifacts';
import pg from 'pg';
// The test fixtures' own world builders: the same tiny model and seeded editions the game's and
// the inference service's end-to-end tests play with.
import { initModelFolder } from '../../../services/inference/test/model-folder.js';
import { sampleTweets, seedCategory } from '../../../services/inference/test/model-fixture.js';
import { PrivatePostgres } from './postgres.js';
import { onCleanup, trackDir } from './procs.js';
import { PrivateRedis } from './redis.js';
import { baseEnv, ENTRY, ROOT } from './services.js';

const run = promisify(execFile);

export const SESSION_SECRET = 'drills-session-secret-0123456789abcdefghij';

export interface World {
  root: string;
  pg: PrivatePostgres;
  redis: PrivateRedis;
  databaseUrl: string;
  store: LocalArtifactStore;
  /** A pool the drills check the database with (it rides through Postgres restarts). */
  db: pg.Pool;
  editions: Record<'vc' | 'covid19', { categoryId: number; versionId: number }>;
  /** What every service needs: the private Postgres and Redis, a queue prefix of the drill's own. */
  env(prefix: string): Record<string, string>;
  gameEnv(prefix: string, inferenceUrl: string): Record<string, string>;
  inferenceEnv(prefix: string, role: 'all' | 'gateway' | 'worker', extra?: Record<string, string>): Record<string, string>;
  setupMs: Record<string, number>;
}

async function timed<T>(into: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    into[name] = Date.now() - t0;
  }
}

/**
 * A private Postgres and Redis, migrated and seeded the way the game's test fixture seeds its
 * database (createGameWorld): editions `vc` and `covid19`, each with 120 human tweets, an
 * active tiny GPT-2 (random, made by the trainer's `ttt_trainer init --eos-logit 2` so its texts
 * end) in a local artifact store, and a pool of 150 machine tweets.
 */
export async function createWorld(): Promise<World> {
  const setupMs: Record<string, number> = {};
  const root = trackDir(await mkdtemp(join(tmpdir(), 'ttt-drills-')));
  // Postgres runs as its own user when we are root: it must reach its folder inside this one.
  await chmod(root, 0o755);
  const [postgres, redis] = await Promise.all([PrivatePostgres.create(join(root, 'pg')), PrivateRedis.create(join(root, 'redis'))]);
  onCleanup(() => redis.close());
  onCleanup(() => postgres.close());
  // Model first: torch's import takes a few seconds, while Postgres initialises and starts.
  const modelDir = join(root, 'model');
  const model = timed(setupMs, 'tiny model (ttt_trainer init)', () => initModelFolder(modelDir, { config: 'tiny', seed: 5, blockSize: 128, eosLogit: 2 }));
  await Promise.all([timed(setupMs, 'postgres start', () => postgres.start()), timed(setupMs, 'redis start', () => redis.start())]);
  const databaseUrl = postgres.url();
  await timed(setupMs, 'migrate', () => run(process.execPath, [ENTRY.migrate], { env: { ...baseEnv(), DATABASE_URL: databaseUrl }, cwd: ROOT }));
  await model;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  db.on('error', () => {});
  onCleanup(() => db.end());
  const store = new LocalArtifactStore(join(root, 'store'));
  const editions = {} as World['editions'];
  await timed(setupMs, 'seed', async () => {
    for (const slug of ['vc', 'covid19'] as const) {
      const seeded = await seedCategory(databaseUrl, store, join(root, 'staging'), { category: slug, tweets: sampleTweets(120), models: [{ dir: modelDir, status: 'active' }] });
      editions[slug] = { categoryId: seeded.categoryId, versionId: seeded.versions[0]!.id };
      await db.query(
        `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
         SELECT $1, 'A machine wrote this about ' || $2 || ' number ' || g, '{"temperature":1,"top_k":50,"top_p":0.95,"seed":7}', 12 FROM generate_series(1, 150) g`,
        [editions[slug].versionId, slug],
      );
    }
    await db.query(`UPDATE tweets SET author_handle = 'author_' || id, author_name = 'Author ' || id, like_count = id * 3, retweet_count = id`);
  });
  const env = (prefix: string) => ({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
  return {
    root,
    pg: postgres,
    redis,
    databaseUrl,
    store,
    db,
    editions,
    setupMs,
    env,
    gameEnv: (prefix, inferenceUrl) => ({
      ...env(prefix),
      GAME_SESSION_SECRET: SESSION_SECRET,
      INFERENCE_URL: inferenceUrl,
      // Every simulated player comes from 127.0.0.1: the per-address limit would throttle the
      // load itself. Limits still run (a Redis round trip per request); they just never bite.
      GAME_RATE_IP_PER_MIN: '10000000',
      GAME_RATE_SESSION_PER_MIN: '10000000',
      DB_POOL_SIZE: '8',
    }),
    inferenceEnv: (prefix, role, extra = {}) => ({
      ...env(prefix),
      INFERENCE_ROLE: role,
      ARTIFACT_STORE_URL: store.rootUri,
      INFERENCE_CACHE_DIR: join(root, `cache-${prefix}`),
      INFERENCE_PRECISION: 'fp32',
      INFERENCE_THREADS: '1',
      INFERENCE_MAX_BATCH: '16',
      POOL_TARGET: '0',
      POOL_CHECK_MS: '1000',
      EVALUATE_SAMPLES: '20',
      ...extra,
    }),
  };
}

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import pg from 'pg';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = process.env.REFERENCE_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

export const CLI = {
  import: join(root, 'services/scraper/dist/import/import.cli.js'),
  dataset: join(root, 'services/dataset-builder/dist/build/dataset.cli.js'),
  train: join(root, 'services/trainer/dist/train/train.cli.js'),
  models: join(root, 'services/trainer/dist/models/models.cli.js'),
};

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface PipelineFixture {
  db: TestDatabase;
  pool: pg.Pool;
  storeDir: string;
  workDir: string;
  env: Record<string, string>;
  referenceFile(category: string): string;
  cli(script: string, args: string[], env?: Record<string, string>): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * A migrated database with the reference categories, an artifact store and a trainer work
 * folder, and the project's own CLIs to drive them: the path an operator takes.
 */
export async function pipelineFixture(): Promise<PipelineFixture> {
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  for (const slug of ['vc', 'republicans', 'democrats', 'covid19']) {
    await pool.query('INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now())', [slug]);
  }
  const storeDir = await mkdtemp(join(tmpdir(), 'ttt-store-'));
  const workDir = await mkdtemp(join(tmpdir(), 'ttt-trainer-'));
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ARTIFACT_STORE_URL: pathToFileURL(storeDir).href,
    TRAINER_WORK_DIR: workDir,
    TRAINER_ONNX_EVAL_WINDOWS: '16',
  };
  return {
    db,
    pool,
    storeDir,
    workDir,
    env,
    referenceFile: (category) => join(dataDir, 'seed-tweets', `${category}.jsonl.gz`),
    cli: (script, args, extra = {}) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      }),
    close: async () => {
      await pool.end();
      await db.drop();
      await rm(storeDir, { recursive: true, force: true });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

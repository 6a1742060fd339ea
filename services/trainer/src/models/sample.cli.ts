import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactStoreFromEnv } from '@ttt/artifacts';
import { loadConfigOrExit, parseCliArgs } from '@ttt/config';
import pg from 'pg';
import { envSchema } from '../config.js';
import { ModelVersionRepository } from '@ttt/db';
import { sampleTweets } from './sample-tweets.js';

const USAGE = `Usage: npm run sample -- (--category <slug> | --version <id>) [-n 5] [--fp32]

Generates tweets with a model version (the category's active one, else its newest ready one)
through @huggingface/transformers, int8 unless --fp32.`;

const args = parseCliArgs(USAGE, {
    category: { type: 'string' },
    version: { type: 'string' },
    n: { type: 'string', short: 'n' },
    fp32: { type: 'boolean' },
});
const { values } = args;
// Annotated so TypeScript knows it does not return (a destructured one would not narrow).
const usage: (problem: string) => never = args.fail;
if (!values.category === !values.version) usage('give --category or --version');
const count = values.n === undefined ? 5 : Number(values.n);
if (!Number.isInteger(count) || count < 1 || count > 100) usage('-n must be a whole number from 1 to 100');

const config = loadConfigOrExit(envSchema.omit({ PORT: true, REDIS_URL: true }), 'sample');
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 });
let failed = false;
try {
  const repo = new ModelVersionRepository(pool);
  const versions = await repo.list();
  const chosen = values.version
    ? versions.find((v) => v.id === Number(values.version))
    : (versions.find((v) => v.category === values.category && v.status === 'active') ??
      versions.filter((v) => v.category === values.category && v.status === 'ready').at(-1));
  if (!chosen?.artifactUri) throw new Error(values.version ? `model version ${values.version} has no exported model` : `category "${values.category}" has no ready model: npm run train`);
  const store = artifactStoreFromEnv(config);
  const dir = await store.fetchFolder(chosen.artifactUri, join(tmpdir(), 'ttt-models'));
  process.stderr.write(`model version ${chosen.id} (${chosen.category ?? 'base'} v${chosen.version}, ${values.fp32 ? 'fp32' : 'int8'})\n`);
  for (const tweet of await sampleTweets(dir, { count, dtype: values.fp32 ? 'fp32' : 'q8' })) {
    process.stdout.write(`• ${tweet.replace(/\n/g, '\n  ')}\n`);
  }
} catch (error) {
  process.stderr.write(`sample failed: ${(error as Error).message}\n`);
  failed = true;
} finally {
  await pool.end();
}
process.exit(failed ? 1 : 0);

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@ttt/db/testing';
import pg from 'pg';
import { importTweets } from './import-tweets.js';
import { TweetImportRepository } from './tweet-import.repository.js';

// `npm run bench:import`: imports the reference tweets into a fresh database and prints the
// rate. Figures, not a pass/fail test: the goal is ≥ 20,000 tweets/s on a 2-core machine.
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SEED_TWEETS_DIR ?? '../shared/data/seed-tweets' },
    'batch-size': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '2' },
  },
});
const dir = resolve(values.data);
const files = ['vc', 'republicans', 'democrats', 'covid19'].map((c) => ({ category: c, file: resolve(dir, `${c}.jsonl.gz`) }));
const missing = files.filter((f) => !existsSync(f.file));
if (missing.length) {
  console.error(`reference files not found: ${missing.map((m) => m.file).join(', ')} (pass --data <folder>)`);
  process.exit(1);
}

const db = await createTestDatabase(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt_bench');
const pool = new pg.Pool({ connectionString: db.url, max: Number(values.concurrency) + 1 });
try {
  for (const { category } of files) {
    await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now())`, [category]);
  }
  const repo = new TweetImportRepository(pool);
  let lines = 0;
  let inserted = 0;
  const started = performance.now();
  console.log(`batch size ${values['batch-size']}, ${values.concurrency} batches in flight`);
  for (const { category, file } of files) {
    const s = await importTweets(repo, { category, from: file, batchSize: Number(values['batch-size']), concurrency: Number(values.concurrency) });
    lines += s.read;
    inserted += s.inserted;
    console.log(`${category.padEnd(12)} ${String(s.read).padStart(7)} lines  ${String(s.inserted).padStart(7)} inserted  ${(s.read / s.seconds).toFixed(0).padStart(6)} tweets/s`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`total        ${String(lines).padStart(7)} lines  ${String(inserted).padStart(7)} inserted  ${(lines / seconds).toFixed(0).padStart(6)} tweets/s (${seconds.toFixed(1)} s)`);
  const again = performance.now();
  let rereadLines = 0;
  for (const { category, file } of files) rereadLines += (await importTweets(repo, { category, from: file })).read;
  const rs = (performance.now() - again) / 1000;
  console.log(`re-import    ${String(rereadLines).padStart(7)} lines        0 inserted  ${(rereadLines / rs).toFixed(0).padStart(6)} tweets/s (idempotent pass)`);
} finally {
  await pool.end();
  await db.drop();
}

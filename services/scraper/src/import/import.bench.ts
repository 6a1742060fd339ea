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
    concurrency: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
  },
});
const dir = resolve(values.data);
const files = ['vc', 'republicans', 'democrats', 'covid19'].map((c) => ({ category: c, file: resolve(dir, `${c}.jsonl.gz`) }));
const missing = files.filter((f) => !existsSync(f.file));
if (missing.length) {
  console.error(`reference files not found: ${missing.map((m) => m.file).join(', ')} (pass --data <folder>)`);
  process.exit(1);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (lines: number, seconds: number) => Math.round(lines / seconds);
const pad = (x: number | string, n: number) => String(x).padStart(n);

// Each run imports into a fresh database; this machine's speed drifts from run to run, so
// several runs are made and the median is the figure.
const firstPass: number[] = [];
const secondPass: number[] = [];
console.log(`batch size ${values['batch-size']}, ${values.concurrency} batches in flight, ${values.runs} runs`);
for (let run = 1; run <= Number(values.runs); run++) {
  const db = await createTestDatabase(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt_bench');
  const pool = new pg.Pool({ connectionString: db.url, max: Number(values.concurrency) + 1 });
  try {
    // Each run writes ~0.5 GB of WAL; without a checkpoint between runs, the next one pays for
    // flushing the last one's pages. (Needs a superuser; skipped otherwise.)
    await pool.query('CHECKPOINT').catch(() => {});
    for (const { category } of files) {
      await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now())`, [category]);
    }
    const repo = new TweetImportRepository(pool);
    const opts = { batchSize: Number(values['batch-size']), concurrency: Number(values.concurrency) };
    let lines = 0;
    let inserted = 0;
    const perFile: string[] = [];
    const started = performance.now();
    for (const { category, file } of files) {
      const s = await importTweets(repo, { category, from: file, ...opts });
      lines += s.read;
      inserted += s.inserted;
      perFile.push(`${category} ${rate(s.read, s.seconds)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    firstPass.push(rate(lines, seconds));
    const again = performance.now();
    let reread = 0;
    for (const { category, file } of files) reread += (await importTweets(repo, { category, from: file, ...opts })).read;
    secondPass.push(rate(reread, (performance.now() - again) / 1000));
    console.log(
      `run ${run}: ${pad(lines, 7)} lines, ${pad(inserted, 7)} inserted in ${seconds.toFixed(1)} s: ${pad(firstPass.at(-1)!, 6)} tweets/s` +
        ` (${perFile.join(', ')}); re-import ${pad(secondPass.at(-1)!, 6)} lines/s`,
    );
  } finally {
    await pool.end();
    await db.drop();
  }
}
console.log(`import:    ${median(firstPass)} tweets/s (median of ${firstPass.length}; goal 20000)`);
console.log(`re-import: ${median(secondPass)} lines/s (idempotent pass: nothing inserted)`);

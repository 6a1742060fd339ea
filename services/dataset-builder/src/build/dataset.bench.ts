// Cleaning + filtering + dedupe + tokenizing speed over the reference tweets, without the
// database: the CPU part of a dataset build. `npm run bench:dataset [-- <seed-tweets folder>]`.
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { datasetFiltersSchema } from '@ttt/contracts';
import { TokenizerPool } from '@ttt/tokenizer';
import { TweetPipeline } from './tweet-pipeline.js';
import type { TweetRow } from '@ttt/text';

const dir =
  process.argv[2] ?? process.env.REFERENCE_DATA_DIR?.concat('/seed-tweets') ?? fileURLToPath(new URL('../../../../../shared/data/seed-tweets', import.meta.url));
const GOAL = 20_000;
const ROUNDS = 3;

async function rowsOf(category: string): Promise<TweetRow[]> {
  const rows: TweetRow[] = [];
  const lines = createInterface({ input: createReadStream(join(dir, `${category}.jsonl.gz`)).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const t = JSON.parse(line) as { id: number; id_str?: string; tweet: string; link?: string; urls?: string[]; retweet?: boolean };
    rows.push({
      id: BigInt(rows.length + 1),
      platform: 'x',
      platformId: t.id_str ?? String(t.id),
      text: t.tweet,
      isReply: false,
      hasLink: (t.urls?.length ?? 0) > 0,
      isRetweet: t.retweet === true,
      isQuote: false,
    });
  }
  return rows;
}

if (!existsSync(dir)) {
  process.stderr.write(`reference tweets not found at ${dir}: pass the seed-tweets folder\n`);
  process.exit(2);
}
const rows = (await Promise.all(['vc', 'republicans', 'democrats', 'covid19'].map(rowsOf))).flat();
const rates: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  // Fresh tokenizer threads each round: their word caches must not carry over and flatter later rounds.
  const tokenizer = new TokenizerPool();
  const out = await mkdtemp(join(tmpdir(), 'ttt-dataset-bench-'));
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const pipeline = await TweetPipeline.open(out, tokenizer, { filters: datasetFiltersSchema.parse(undefined), valFraction: 0.05, seed: 0 });
  for (let i = 0; i < rows.length; i += 5000) await pipeline.add(rows.slice(i, i + 5000));
  const counts = await pipeline.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await tokenizer.close();
  // Process-wide: the tokenizer threads' time counts too.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await rm(out, { recursive: true, force: true });
  rates.push(rows.length / seconds);
  process.stdout.write(
    `round ${round}: ${rows.length.toLocaleString('en-US')} tweets in ${seconds.toFixed(2)} s = ${Math.round(rows.length / seconds).toLocaleString('en-US')} tweets/s, ` +
      `${Math.round(rows.length / cpuSeconds).toLocaleString('en-US')} per CPU-second ` +
      `(${counts.kept.toLocaleString('en-US')} kept, ${(counts.splits.train.tokens + counts.splits.val.tokens).toLocaleString('en-US')} tokens)\n`,
  );
}
const median = rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
process.stdout.write(`median: ${Math.round(median).toLocaleString('en-US')} tweets/s cleaned and tokenized (goal ≥ ${GOAL.toLocaleString('en-US')}: ${median >= GOAL ? 'met' : 'NOT met'})\n`);

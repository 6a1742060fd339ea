// How fast one recorded UserTweets page turns into ScrapedTweets, JSON.parse included (the
// source parses each body from text). Prints tweets/s, the median of several rounds.
// Build, then: node dist/sources/x/x-parse.bench.js [path/to/raw_user_tweets.json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUserTweets } from './parse-user-tweets.js';

const path =
  process.argv[2] ??
  (process.env.FIXTURES_DIR
    ? join(process.env.FIXTURES_DIR, 'x', 'raw_user_tweets.json')
    : // dist/sources/x and src/sources/x sit at the same depth below the repository's parent.
      fileURLToPath(new URL('../../../../../../shared/fixtures/x/raw_user_tweets.json', import.meta.url)));
const body = readFileSync(path, 'utf8');
const perPage = parseUserTweets(JSON.parse(body)).tweets.length;

const ROUNDS = 9;
const PAGES_PER_ROUND = 200;
let sink = 0;
for (let i = 0; i < 50; i++) sink += parseUserTweets(JSON.parse(body)).tweets.length; // warm up the JIT

/** Median tweets/s of one way of parsing the page. */
function measure(parsePage: () => number): number {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PAGES_PER_ROUND; i++) sink += parsePage();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push((PAGES_PER_ROUND * perPage) / seconds);
  }
  return rates.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const fromText = measure(() => parseUserTweets(JSON.parse(body)).tweets.length);
// Without JSON.parse: what the walk over X's entries costs on its own.
const parsed: unknown = JSON.parse(body);
const walkOnly = measure(() => parseUserTweets(parsed).tweets.length);
// Using the sum keeps the parses from being optimised away.
if (sink === 0) throw new Error(`no tweets parsed from ${path}`);

const rate = (n: number) => Math.round(n).toLocaleString('en');
console.log(`x parse: ${perPage} tweets per ${(body.length / 1024).toFixed(0)} KiB page, median of ${ROUNDS} rounds`);
console.log(`  from text (JSON.parse + walk): ${rate(fromText)} tweets/s (${rate(fromText / perPage)} pages/s)`);
console.log(`  walk only:                     ${rate(walkOnly)} tweets/s`);

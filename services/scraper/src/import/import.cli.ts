import { categorySlug } from '@ttt/contracts';
import { baseEnvSchema, loadConfigOrExit, parseCliArgs } from '@ttt/config';
import { ProgressBar } from '@ttt/observability';
import pg from 'pg';
import { formatSummary } from './format-summary.js';
import { importTweets } from './import-tweets.js';
import { TweetImportRepository } from './tweet-import.repository.js';

const USAGE = `Usage: npm run import -- --category <slug> --from <file|folder|http(s) URL> [--batch-size N]

Reads twint JSON lines (plain or .gz) and stores them as human tweets of the category.
Running it again adds nothing new; malformed lines are counted and listed, never stored.`;

const args = parseCliArgs(USAGE, {
    category: { type: 'string' },
    from: { type: 'string', multiple: true },
    'batch-size': { type: 'string' },
});
const { values } = args;
// Annotated so TypeScript knows it does not return (a destructured one would not narrow).
const usage: (problem: string) => never = args.fail;
if (!values.category) usage('--category is required');
if (!categorySlug.safeParse(values.category).success) usage(`--category "${values.category}" is not a slug (lower-case letters, digits, dashes)`);
if (!values.from?.length) usage('--from is required');
const batchSize = values['batch-size'] === undefined ? 2000 : Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 20000) usage('--batch-size must be a whole number from 1 to 20000');

const config = loadConfigOrExit(baseEnvSchema.pick({ DATABASE_URL: true }));

const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
const repo = new TweetImportRepository(pool);
let failed = false;
try {
  for (const from of values.from) {
    const bar = new ProgressBar({ label: `import ${values.category} ← ${from}` });
    const summary = await importTweets(repo, {
      category: values.category,
      from,
      batchSize,
      onProgress: (s, read) =>
        bar.update(read.bytesTotal ? read.bytesRead / read.bytesTotal : null, `${s.read.toLocaleString('en-US')} lines, ${s.inserted.toLocaleString('en-US')} new`),
    });
    bar.done(`${summary.read.toLocaleString('en-US')} lines`);
    process.stdout.write(`${formatSummary(summary)}\n`);
  }
} catch (error) {
  process.stderr.write(`import failed: ${(error as Error).message}\n`);
  failed = true;
} finally {
  await pool.end();
}
process.exit(failed ? 1 : 0);

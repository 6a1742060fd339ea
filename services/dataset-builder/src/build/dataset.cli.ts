import { artifactStoreFromEnv } from '@ttt/artifacts';
import { loadConfigOrExit, parseCliArgs } from '@ttt/config';
import { buildDatasetJobSchema, EventName, EventPublisher } from '@ttt/contracts';
import { ProgressBar } from '@ttt/observability';
import { TokenizerPool } from '@ttt/tokenizer';
import pg from 'pg';
import { envSchema } from '../config.js';
import { buildDataset } from './build-dataset.js';
import { DatasetRepository } from './dataset.repository.js';
import { formatManifest } from './format-manifest.js';

const USAGE = `Usage: npm run dataset -- (--category <slug> ... | --all) [--val-fraction F] [--seed N] [--filters '<json>']

Builds a training dataset from a category's stored tweets: cleans, filters, dedupes, splits
train/validation by a hash of each tweet's id, tokenizes with GPT-2's BPE, and stores token
files and a manifest in the artifact store. --all builds every category that has tweets.
Filters (JSON, all optional): {"dropReplies":true,"dropRetweets":true,"dropQuotes":false,
"dropLinks":true,"dropMentionOnly":true,"minChars":20,"dedupe":"near"|"exact"|"none"}`;

const args = parseCliArgs(USAGE, {
    category: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    'val-fraction': { type: 'string' },
    seed: { type: 'string' },
    filters: { type: 'string' },
});
const { values } = args;
// Annotated so TypeScript knows it does not return (a destructured one would not narrow).
const usage: (problem: string) => never = args.fail;
if (!values.category?.length && !values.all) usage('--category or --all is required');

let filters: unknown;
try {
  filters = values.filters === undefined ? undefined : JSON.parse(values.filters);
} catch {
  usage('--filters must be JSON');
}
const settings = (category: string) => {
  const parsed = buildDatasetJobSchema.safeParse({
    category,
    filters,
    valFraction: values['val-fraction'] === undefined ? undefined : Number(values['val-fraction']),
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  if (!parsed.success) usage(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
  return parsed.data;
};
for (const category of values.category ?? []) settings(category);

// Redis is optional here: with it, a built dataset is announced as a worker's would be.
const config = loadConfigOrExit(envSchema.omit({ PORT: true }).partial({ REDIS_URL: true }), 'dataset');
const events = config.REDIS_URL ? new EventPublisher(config.REDIS_URL) : undefined;
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
const repo = new DatasetRepository(pool);
const store = artifactStoreFromEnv(config);
const tokenizer = new TokenizerPool();
let failed = false;
try {
  const categories = values.all
    ? (
        await pool.query<{ slug: string }>(
          'SELECT c.slug FROM categories c WHERE EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.category_id = c.id) ORDER BY c.slug',
        )
      ).rows.map((r) => r.slug)
    : values.category!;
  if (categories.length === 0) throw new Error('no category has tweets yet: import or scrape some first');
  for (const category of categories) {
    const bar = new ProgressBar({ label: `dataset ${category}` });
    try {
      const built = await buildDataset(repo, store, tokenizer, {
        ...settings(category),
        minTrainTokens: config.DATASET_MIN_TRAIN_TOKENS,
        minValTokens: config.DATASET_MIN_VAL_TOKENS,
        onProgress: ({ read, total, kept }) => bar.update(read / total, `${read.toLocaleString('en-US')} read, ${kept.toLocaleString('en-US')} kept`),
      });
      bar.done(`${built.manifest.kept.toLocaleString('en-US')} tweets`);
      await events?.publish(EventName.datasetBuilt, { datasetId: built.datasetId, category }).catch(() => 0);
      process.stdout.write(`${formatManifest(built.artifactUri, built.manifest)}\n`);
    } catch (error) {
      bar.done('failed');
      process.stderr.write(`dataset ${category} failed: ${(error as Error).message}\n`);
      failed = true;
    }
  }
} catch (error) {
  process.stderr.write(`dataset failed: ${(error as Error).message}\n`);
  failed = true;
} finally {
  await events?.onModuleDestroy();
  await tokenizer.close();
  await pool.end();
}
process.exit(failed ? 1 : 0);

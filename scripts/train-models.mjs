// `npm run models:train`: from stored tweets to an active model per category, offline, on a CPU.
// Mirrors the seed's recipe (a pretrained GPT-2, fine-tuned per category) without a model hub:
// a base model trained from scratch on every category's training split, then fine-tuned per
// category and activated. Safe to run again: each step skips what is already done.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    'base-steps': { type: 'string', default: '600' },
    'finetune-steps': { type: 'string', default: '150' },
    'import-from': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: npm run models:train -- [--import-from <folder>] [--preset tiny|small|gpt2] [--base-steps N] [--finetune-steps N]

--import-from first imports <folder>/<slug>.jsonl[.gz] (twint JSON) into each category that has
no tweets yet (the reference tweets: ../shared/data/seed-tweets). Then it builds a dataset for every category with tweets and none yet, trains a base model from scratch on
all of them, fine-tunes it per category and activates each. Steps already done are skipped.`);
  process.exit(0);
}
const baseSteps = Number(values['base-steps']);
const finetuneSteps = Number(values['finetune-steps']);
if (!Number.isInteger(baseSteps) || baseSteps < 1 || !Number.isInteger(finetuneSteps) || finetuneSteps < 1) {
  console.error('--base-steps and --finetune-steps must be whole numbers ≥ 1');
  process.exit(2);
}

const step = (title) => process.stderr.write(`\n▸ ${title}\n`);
const node = (script, args) => {
  const r = spawnSync(process.execPath, ['--env-file-if-exists=.env', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    console.error(`\n✗ ${script} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
  return r.stdout;
};

process.loadEnvFile?.('.env');
if (!process.env.DATABASE_URL) {
  console.error('DATABASE_URL is not set: run `npm run setup` first (it writes .env)');
  process.exit(1);
}
const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
const query = async (sql, params = []) => (await db.query(sql, params)).rows;

if (values['import-from']) {
  step(`Tweets from ${values['import-from']}`);
  const empty = await query(`
    SELECT c.slug FROM categories c
     WHERE NOT EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.category_id = c.id) ORDER BY c.slug`);
  for (const { slug } of empty) {
    const file = [`${slug}.jsonl.gz`, `${slug}.jsonl`].map((f) => join(values['import-from'], f)).find((f) => existsSync(f));
    if (file) process.stdout.write(node('services/scraper/dist/import/import.cli.js', ['--category', slug, '--from', file]));
    else console.log(`  ${slug}: no ${slug}.jsonl[.gz] there; left as it is`);
  }
  if (empty.length === 0) console.log('  every category has tweets already');
}

step('Datasets');
const missing = await query(`
  SELECT c.slug FROM categories c
   WHERE EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.category_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM datasets d WHERE d.category_id = c.id AND d.status = 'ready')
   ORDER BY c.slug`);
if (missing.length) process.stdout.write(node('services/dataset-builder/dist/build/dataset.cli.js', missing.flatMap((r) => ['--category', r.slug])));
const datasets = await query(`
  SELECT DISTINCT ON (d.category_id) d.id, c.slug FROM datasets d JOIN categories c ON c.id = d.category_id
   WHERE d.status = 'ready' ORDER BY d.category_id, d.id DESC`);
if (datasets.length === 0) {
  console.error('\n✗ No tweets to train on: import some first (npm run import -- --category vc --from <file>)');
  process.exit(1);
}
console.log(`  ${datasets.map((d) => `${d.slug}: dataset ${d.id}`).join(', ')}`);

const train = (args, hp) => JSON.parse(node('services/trainer/dist/train/train.cli.js', [...args, '--hp', JSON.stringify(hp), '--json']).trim().split('\n').at(-1));

step(`Base model (${values.preset}, from scratch, ${baseSteps} steps on every category)`);
let [base] = await query(`SELECT id FROM model_versions WHERE category_id IS NULL AND status IN ('ready', 'active') ORDER BY id DESC LIMIT 1`);
if (base) {
  console.log(`  model version ${base.id} exists`);
} else {
  const out = train([...datasets.flatMap((d) => ['--dataset', String(d.id)]), '--scratch', values.preset], {
    max_steps: baseSteps, batch_size: 16, learning_rate: 2e-3, min_lr: 2e-4, warmup_steps: Math.min(100, Math.ceil(baseSteps / 10)), eval_interval: Math.max(50, Math.ceil(baseSteps / 4)), eval_iters: 20,
  });
  base = { id: out.modelVersionId };
}

for (const d of datasets) {
  step(`${d.slug}: fine-tune model version ${base.id} (${finetuneSteps} steps)`);
  let [tuned] = await query(
    `SELECT m.id, m.status FROM model_versions m JOIN categories c ON c.id = m.category_id
      WHERE c.slug = $1 AND m.parent_id = $2 AND m.status IN ('ready', 'active') ORDER BY m.id DESC LIMIT 1`,
    [d.slug, base.id],
  );
  if (tuned) {
    console.log(`  model version ${tuned.id} exists`);
  } else {
    const out = train(['--dataset', String(d.id), '--from-version', String(base.id)], {
      max_steps: finetuneSteps, batch_size: 16, learning_rate: 5e-4, min_lr: 5e-5, warmup_steps: 20, eval_interval: Math.max(50, Math.ceil(finetuneSteps / 2)), eval_iters: 20,
    });
    tuned = { id: out.modelVersionId, status: 'ready' };
  }
  if (tuned.status !== 'active') process.stdout.write(node('services/trainer/dist/models/models.cli.js', ['activate', String(tuned.id)]));
}
await db.end();

step('Model versions');
process.stdout.write(node('services/trainer/dist/models/models.cli.js', ['list']));
console.log('\n✓ Every category has an active model. Sample one: npm run sample -- --category vc');

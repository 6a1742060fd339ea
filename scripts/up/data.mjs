import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './run.mjs';
import { StepFailed } from './steps.mjs';

/**
 * Where the original game's tweets come from, per category: a folder of <slug>.jsonl[.gz]
 * (twint JSON), or a URL template with {slug}. The original game published them in its public
 * repository; REFERENCE_DATA_DIR/seed-tweets is a local copy of those files.
 */
export const ORIGINAL_TWEETS_URL = 'https://raw.githubusercontent.com/model-zoo/twitter-turing-test/1a9f5ce7/frontend/public/data/{slug}.json';

export function tweetSource(option, env) {
  if (option) return option;
  const local = join(resolve(env.REFERENCE_DATA_DIR ?? '../shared/data'), 'seed-tweets');
  return existsSync(local) ? local : ORIGINAL_TWEETS_URL;
}

function locate(source, slug) {
  if (/^https?:\/\//.test(source)) return source.replaceAll('{slug}', slug);
  return [`${slug}.jsonl.gz`, `${slug}.jsonl`, `${slug}.json`].map((f) => join(source, f)).find((f) => existsSync(f)) ?? null;
}

// Which imports this command began and finished, so one cut short (Ctrl-C, a crash) is run
// again rather than taken as done because the category has some tweets. The import is
// idempotent: running it again adds only what is missing.
const STATE = '.up-state.json';
const readState = () => (existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : { imports: {} });
const writeState = (state) => writeFileSync(STATE, `${JSON.stringify(state, null, 2)}\n`);

/**
 * Imports the reference tweets into each category that has none yet, or whose import by this
 * command did not finish; a category filled otherwise is left alone.
 */
export async function importReferenceTweets(step, db, source) {
  const state = readState();
  const { rows } = await db.query(`
    SELECT c.slug, EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.category_id = c.id) AS has_tweets
      FROM categories c ORDER BY c.slug`);
  const todo = rows.filter((r) => !r.has_tweets || state.imports[r.slug] === 'started').map((r) => r.slug);
  if (todo.length === 0) return 'skipped: every category has tweets';
  const done = [];
  const absent = [];
  for (const [i, slug] of todo.entries()) {
    const from = locate(source, slug);
    if (from === null) {
      absent.push(slug);
      continue;
    }
    step.log(`${slug} ← ${from}`);
    state.imports[slug] = 'started';
    writeState(state);
    try {
      await run(process.execPath, ['--env-file-if-exists=.env', '--max-semi-space-size=64', 'services/scraper/dist/import/import.cli.js', '--category', slug, '--from', from], {
        onLine: (line) => {
          const pct = /(\d+)%\s+(.*)$/.exec(line);
          if (pct) step.progress(i + Number(pct[1]) / 100, todo.length, `${slug}: ${pct[2]}`);
        },
      });
    } catch (error) {
      // A URL the original game never published (a category it did not have), or a network
      // failure: the others go on, and the next run tries this one again.
      if (!/^https?:/.test(from)) throw error;
      step.log(`${slug}: ${error.message.split('\n').at(-1)}`);
      absent.push(slug);
      continue;
    }
    state.imports[slug] = 'done';
    writeState(state);
    done.push(slug);
  }
  const total = (await db.query('SELECT count(*)::int AS n FROM tweets')).rows[0].n;
  // A category the original game did not have (one added to sources/) has no reference tweets:
  // it waits for a scrape or an import, and the game plays the others.
  if (total === 0) {
    throw new StepFailed(`no tweets for ${absent.join(', ')} in ${source}`, 'give a folder of <slug>.jsonl[.gz] twint files with --tweets <folder>, or a URL template with {slug}');
  }
  const note = absent.length ? ` (none in ${source} for ${absent.join(', ')}: scrape or import them)` : '';
  return `${done.length ? `imported ${done.join(', ')}` : 'nothing imported'}${note}: ${total.toLocaleString('en-US')} tweets stored`;
}

/** Categories with tweets but no active model. */
export async function categoriesWithoutModel(db) {
  const { rows } = await db.query(`
    SELECT c.slug FROM categories c
     WHERE EXISTS (SELECT 1 FROM tweet_categories tc WHERE tc.category_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM model_versions m WHERE m.category_id = c.id AND m.status = 'active')
     ORDER BY c.slug`);
  return rows.map((r) => r.slug);
}

/** Datasets, a base model and a fine-tune per category, on the CPU (scripts/train-models.mjs). */
export async function trainModels(step, db, { python, baseSteps, finetuneSteps }) {
  const todo = await categoriesWithoutModel(db);
  if (todo.length === 0) return 'skipped: every category with tweets has an active model';
  step.log(`${todo.join(', ')}: no active model; training small ones on the CPU (${baseSteps} + ${finetuneSteps} steps, tens of minutes)`);
  // The base model, then a fine-tune per category: each stage weighs its steps.
  const weights = [baseSteps, ...todo.map(() => finetuneSteps)];
  const total = weights.reduce((a, b) => a + b, 0);
  let stage = -1;
  let before = 0;
  await run(process.execPath, ['scripts/train-models.mjs', '--base-steps', String(baseSteps), '--finetune-steps', String(finetuneSteps)], {
    env: python ? { TRAINER_PYTHON: python } : {},
    onLine: (line) => {
      if (line.startsWith('▸ Base model') || line.includes(': fine-tune model version')) {
        if (stage >= 0) before += weights[stage] ?? 0;
        stage++;
        step.log(line.replace(/^▸ /, ''));
      }
      const pct = /^train .*?(\d+)%\s+(.*)$/.exec(line);
      if (pct && stage >= 0) step.progress(before + (Number(pct[1]) / 100) * (weights[stage] ?? 0), total, pct[2]);
    },
  });
  const left = await categoriesWithoutModel(db);
  if (left.length) throw new StepFailed(`still no active model for ${left.join(', ')}`);
  return `an active model for ${todo.join(', ')}`;
}

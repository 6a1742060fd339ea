// `npm run up`: from a fresh clone to the game at http://localhost:3000, in one command.
// Each step skips what is already done, so a second run goes straight to serving.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureEnvFile } from './config.mjs';
import { categoriesWithoutModel, importReferenceTweets, trainModels, tweetSource } from './data.mjs';
import { checkNode, ensureTorch, installNodePackages } from './prerequisites.mjs';
import { run, stopRunning } from './run.mjs';
import { startServices, waitForPools } from './services.mjs';
import { elapsed, step } from './steps.mjs';
import { ensureStores } from './stores.mjs';

const { values: options } = parseArgs({
  options: {
    'prepare-only': { type: 'boolean', default: false },
    tweets: { type: 'string' },
    'base-steps': { type: 'string', default: '400' },
    'finetune-steps': { type: 'string', default: '100' },
    pool: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (options.help) {
  console.log(`Usage: npm run up [-- options]

Installs what is missing, starts or finds Postgres and Redis, builds, migrates, imports the
original game's tweets, trains a small model per category on the CPU when there is none, starts
every service, waits for the machine-tweet pools, and serves the game on http://localhost:3000.

  --prepare-only        stop after the database schema and categories (npm run setup)
  --tweets <src>        a folder of <slug>.jsonl[.gz] twint files, or a URL template with {slug}
                        (default: REFERENCE_DATA_DIR/seed-tweets if present, else the original URLs)
  --base-steps N        training steps of the base model (default 400)
  --finetune-steps N    training steps of each category's fine-tune (default 100)
  --pool N              machine tweets each edition must hold before the game opens (default 20)`);
  process.exit(0);
}
const whole = (name) => {
  const n = Number(options[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1`);
    process.exit(2);
  }
  return n;
};
const baseSteps = whole('base-steps');
const finetuneSteps = whole('finetune-steps');
const enough = whole('pool');

/** Workspace projects with a build script: the build step's tasks. */
function buildableProjects() {
  const dirs = ['libs', 'services'].flatMap((d) => readdirSync(d).map((n) => `${d}/${n}`)).concat(['web']);
  return dirs.filter((d) => {
    try {
      return Boolean(JSON.parse(readFileSync(`${d}/package.json`, 'utf8')).scripts?.build);
    } catch {
      return false;
    }
  }).length;
}

let services = null;
let db = null;
let shuttingDown = null;
const shutdown = (code) =>
  (shuttingDown ??= (async () => {
    stopRunning();
    await services?.stop();
    await db?.end().catch(() => {});
    process.exit(code);
  })());
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (console.log('\nstopping the services…'), shutdown(0)));

try {
  await step('Node', () => checkNode());
  await step('Node packages', (s) => installNodePackages(s));
  await step('Configuration', () => ensureEnvFile());
  const env = process.env;
  await step('Postgres and Redis', (s) => ensureStores(s, env));
  await step('Build', async (s) => {
    let done = 0;
    const total = buildableProjects();
    const out = await run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      onLine: (line) => {
        const task = /nx run (\S+):build/.exec(line);
        if (task) s.progress(++done, total, task[1]);
      },
    });
    const cached = /(\d+)\/(\d+) (?:were|was) read from cache|Nx read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(out);
    return cached ? `built (${cached[1] ?? cached[3]} of ${cached[2] ?? cached[4]} from cache)` : 'built';
  });
  await step('Database schema', async () => (await run(process.execPath, ['libs/db/dist/migrate/migrate.cli.js'])).trim().split('\n').at(-1));
  await step('Categories from sources/', async () => {
    const lines = (await run(process.execPath, ['services/scraper/dist/seed/seed-sources.cli.js'])).trim().split('\n');
    const added = lines.filter((l) => /category created|: [1-9]\d* account\(s\) added/.test(l));
    return added.length ? added.map((l) => l.trim()).join('; ') : `skipped: ${lines.length} categories, nothing new`;
  });

  if (options['prepare-only']) {
    console.log(`\n✓ Prepared in ${elapsed()}. \`npm run up\` goes on from here (tweets, models, services).`);
    process.exit(0);
  }

  const { default: pg } = await import('pg');
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const source = tweetSource(options.tweets, env);
  await step('Reference tweets', (s) => importReferenceTweets(s, db, source));
  const needModels = (await categoriesWithoutModel(db)).length > 0;
  const { python } = await step('Python with torch (the trainer)', async (s) => {
    const found = await ensureTorch(s, env, needModels);
    return Object.assign(new String(found.result), found);
  });
  await step('Models', (s) => trainModels(s, db, { python, baseSteps, finetuneSteps }));
  services = await step('Services', async (s) => {
    const started = await startServices(s, python ? { TRAINER_PYTHON: python } : {}, (spawned) => (services = spawned));
    return Object.assign(new String('game-api :3000, inference :3001, scraper :3002, dataset-builder :3003, trainer :3004 (logs in .logs/)'), started);
  });
  await step('Machine tweet pools', (s) => waitForPools(s, db, { enough, children: services.children }));
  await db.end();
  db = null;
  console.log(`\n✓ Ready in ${elapsed()}. Play at http://localhost:3000
  Admin API and queues board: http://localhost:3000/admin/docs, /admin/queues (key: ADMIN_API_KEYS in .env)
  Ctrl-C stops the services.`);
  const dead =
    services.children.find((c) => c.exited !== null) ?? (await new Promise((resolve) => services.children.forEach((c) => c.child.once('exit', () => resolve(c)))));
  if (shuttingDown) await new Promise(() => {}); // Ctrl-C: shutdown() ends the process.
  console.error(`\n✗ ${dead.name} stopped (exit ${dead.exited}); see .logs/${dead.name}.log. Stopping the others.`);
  await shutdown(1);
} catch (error) {
  // Ctrl-C while a step ran: the step failed because of it; shutdown() ends the process.
  if (shuttingDown) await new Promise(() => {});
  if (!error.hint && !(error.constructor?.name === 'StepFailed')) console.error(error);
  console.error(`\n✗ Stopped after ${elapsed()}: fix the above and run \`npm run up\` again; it picks up where it stopped.`);
  await shutdown(1);
}

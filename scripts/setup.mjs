// `npm run setup`: from a fresh clone to services that start. Safe to run again: each step
// skips what is already done. Needs Node 20.19+, a Postgres and a Redis (see README).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';

const step = (title) => process.stdout.write(`\n▸ ${title}\n`);
const fail = (message) => {
  process.stderr.write(`\n✗ ${message}\n`);
  process.exit(1);
};
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer`);

step('Node packages');
if (!existsSync('node_modules/.package-lock.json')) {
  run('npm', ['ci'], { ONNXRUNTIME_NODE_INSTALL: 'skip' });
} else {
  console.log('  installed (run `npm ci` to reinstall)');
}

step('Configuration');
if (!existsSync('.env')) {
  // A session secret of this machine's own: one from the example file would let anyone who
  // read it sign cookies as any player.
  const secret = randomBytes(32).toString('base64url');
  writeFileSync('.env', readFileSync('.env.example', 'utf8').replace(/^GAME_SESSION_SECRET=.*$/m, `GAME_SESSION_SECRET=${secret}`));
  console.log('  wrote .env from .env.example, with a new GAME_SESSION_SECRET');
} else {
  console.log('  .env exists; left as it is');
}
// Variables already in the environment win over the file.
process.loadEnvFile('.env');
const env = process.env;

step('Postgres and Redis');
const reachable = (url, fallbackPort) =>
  new Promise((resolve) => {
    const u = new URL(url);
    const socket = createConnection({ host: u.hostname, port: Number(u.port || fallbackPort), timeout: 3000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
if (!(await reachable(env.DATABASE_URL, 5432))) {
  fail(`Postgres does not answer at ${new URL(env.DATABASE_URL).host}. Start one (Debian: apt-get install postgresql && pg_ctlcluster 15 main start; or docker compose up -d postgres) or set DATABASE_URL in .env.`);
}
if (!(await reachable(env.REDIS_URL, 6379))) {
  fail(`Redis does not answer at ${new URL(env.REDIS_URL).host}. Start one (Debian: apt-get install redis-server && redis-server --daemonize yes; or docker compose up -d redis) or set REDIS_URL in .env.`);
}
console.log('  both answer');

step('Build');
run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { NX_DAEMON: 'false' });

step('Database schema');
run('node', ['libs/db/dist/migrate/migrate.cli.js']);

step('Categories and source accounts from sources/');
run('node', ['services/scraper/dist/seed/seed-sources.cli.js']);

const { default: pg } = await import('pg');
const client = new pg.Client({ connectionString: env.DATABASE_URL });
await client.connect();
const counts = Number((await client.query('SELECT count(*) AS n FROM tweets')).rows[0].n);
await client.end();
console.log(`\n✓ Ready. ${counts.toLocaleString('en-US')} tweets stored.`);
if (counts === 0) console.log('  Import tweets with: npm run import -- --category vc --from <twint .jsonl[.gz] file, folder or URL>');
console.log('  Start the services with: npm start');

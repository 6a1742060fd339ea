import { createConnection } from 'node:net';
import { run, succeeds } from './run.mjs';
import { StepFailed } from './steps.mjs';

const reachable = (url, fallbackPort) =>
  new Promise((resolve) => {
    const u = new URL(url);
    const socket = createConnection({ host: u.hostname, port: Number(u.port || fallbackPort), timeout: 3000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

const local = (url) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);

/**
 * Postgres and Redis: the ones DATABASE_URL and REDIS_URL name if they answer; else, for local
 * addresses, the compose file's, where Docker runs; else what to do.
 */
export async function ensureStores(step, env) {
  const missing = [];
  if (!(await reachable(env.DATABASE_URL, 5432))) missing.push(['postgres', env.DATABASE_URL]);
  if (!(await reachable(env.REDIS_URL, 6379))) missing.push(['redis', env.REDIS_URL]);
  if (missing.length === 0) return `Postgres at ${new URL(env.DATABASE_URL).host}, Redis at ${new URL(env.REDIS_URL).host}`;

  const names = missing.map(([name]) => name);
  if (missing.every(([, url]) => local(url)) && (await succeeds('docker', ['compose', 'version'])) && (await succeeds('docker', ['info']))) {
    step.log(`starting ${names.join(' and ')} with docker compose`);
    await run('docker', ['compose', 'up', '-d', '--wait', ...names]);
    for (const [name, url] of missing) {
      if (!(await reachable(url, name === 'postgres' ? 5432 : 6379))) throw new StepFailed(`${name} started by docker compose does not answer at ${new URL(url).host}`);
    }
    return `started ${names.join(' and ')} with docker compose`;
  }
  throw new StepFailed(
    `${missing.map(([name, url]) => `${name === 'postgres' ? 'Postgres' : 'Redis'} does not answer at ${new URL(url).host}`).join('; ')}`,
    [
      'one of:',
      '- set DATABASE_URL / REDIS_URL (environment or .env) to ones that run',
      '- Debian/Ubuntu: sudo apt-get install postgresql redis-server (they start themselves), then allow the local user:',
      '  sudo -u postgres psql -c "ALTER USER postgres PASSWORD \'postgres\'" and put the password in DATABASE_URL',
      '- where Docker runs: docker compose up -d postgres redis',
    ].join('\n'),
  );
}

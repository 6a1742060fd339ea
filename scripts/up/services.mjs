import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { StepFailed } from './steps.mjs';

export const SERVICES = [
  { name: 'game-api', port: 3000 },
  { name: 'inference', port: 3001 },
  { name: 'scraper', port: 3002 },
  { name: 'dataset-builder', port: 3003 },
  { name: 'trainer', port: 3004 },
];

const portTaken = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

/**
 * Starts every service as a child of this process, its JSON logs in .logs/<service>.log, and
 * waits until each answers /health/ready. Ctrl-C (or SIGTERM) stops them all.
 */
export async function startServices(step, extraEnv, onSpawned) {
  const taken = [];
  for (const s of SERVICES) if (await portTaken(s.port)) taken.push(`${s.port} (${s.name})`);
  if (taken.length) {
    throw new StepFailed(`port ${taken.join(', ')} already in use`, 'stop what runs there (an earlier `npm run up` or `npm start`?), then run this again');
  }
  mkdirSync('.logs', { recursive: true });
  const children = SERVICES.map((s) => {
    const log = createWriteStream(`.logs/${s.name}.log`, { flags: 'a' });
    const child = spawn(process.execPath, ['--env-file-if-exists=../../.env', 'dist/main.js'], {
      cwd: `services/${s.name}`,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    return { ...s, child, exited: null };
  });
  for (const c of children) c.child.on('exit', (code) => (c.exited = code ?? 'signal'));

  let stopping = null;
  const stop = () =>
    (stopping ??= (async () => {
      for (const c of children) if (c.exited === null) c.child.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exited !== null ? null : new Promise((r) => c.child.once('exit', r)))));
    })());
  // The caller can stop them from here on, even while they are still starting.
  onSpawned?.({ children, stop });

  const deadline = Date.now() + 120_000;
  const ready = new Set();
  while (ready.size < children.length) {
    for (const c of children) {
      if (c.exited !== null) {
        await stop();
        throw new StepFailed(`${c.name} stopped (exit ${c.exited}) while starting`, `its log says why: .logs/${c.name}.log`);
      }
      if (ready.has(c.name)) continue;
      const ok = await fetch(`http://127.0.0.1:${c.port}/health/ready`).then((r) => r.ok, () => false);
      if (ok) ready.add(c.name);
    }
    step.progress(ready.size, children.length, [...ready].join(', '));
    if (ready.size < children.length) {
      if (Date.now() > deadline) {
        await stop();
        const late = children.filter((c) => !ready.has(c.name)).map((c) => c.name);
        throw new StepFailed(`${late.join(', ')} not ready after 2 minutes`, late.map((n) => `see .logs/${n}.log`).join('\n'));
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { children, stop };
}

/**
 * Waits until every active model's pool holds enough machine tweets for the game to deal
 * from (the inference service fills it in the background, up to POOL_TARGET).
 */
export async function waitForPools(step, db, { enough, children }) {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const { rows } = await db.query(`
      SELECT c.slug, m.id, (SELECT count(*)::int FROM generated_tweets g WHERE g.model_version_id = m.id AND g.served_at IS NULL) AS unserved
        FROM model_versions m JOIN categories c ON c.id = m.category_id
       WHERE m.status = 'active' ORDER BY c.slug`);
    if (rows.length === 0) throw new StepFailed('no active model: nothing for the pools to draw from');
    const have = rows.reduce((sum, r) => sum + Math.min(enough, r.unserved), 0);
    step.progress(have, rows.length * enough, rows.map((r) => `${r.slug} ${r.unserved}`).join(' · '));
    if (rows.every((r) => r.unserved >= enough)) return `${rows.map((r) => `${r.slug} ${r.unserved}`).join(', ')} machine tweets waiting`;
    const dead = children.find((c) => c.exited !== null);
    if (dead) throw new StepFailed(`${dead.name} stopped (exit ${dead.exited})`, `its log says why: .logs/${dead.name}.log`);
    if (Date.now() > deadline) throw new StepFailed('the pools did not fill within 15 minutes', 'see .logs/inference.log');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

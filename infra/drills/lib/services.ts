import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ttt/observability/testing';
import { type Proc, spawnProc, stopProc } from './procs.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const ENTRY = {
  game: join(ROOT, 'services/game-api/dist/main.js'),
  inference: join(ROOT, 'services/inference/dist/main.js'),
  trainer: join(ROOT, 'services/trainer/dist/main.js'),
  migrate: join(ROOT, 'libs/db/dist/migrate/migrate.cli.js'),
  dataset: join(ROOT, 'services/dataset-builder/dist/build/dataset.cli.js'),
};

/** The built entry points the drills run; a missing one means the build has not run. */
export function checkBuilt(): void {
  const missing = Object.values(ENTRY).filter((e) => !existsSync(e));
  if (missing.length) {
    throw new Error(`not built: ${missing.join(', ')}\nbuild first: NX_DAEMON=false npx nx run-many -t build`);
  }
}

/**
 * The environment a child starts from: only what a process needs to run, never the caller's
 * DATABASE_URL, REDIS_URL or queue prefix (those would point the services at a shared server).
 */
export function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

export interface Service {
  name: string;
  url: string;
  port: number;
  proc: Proc;
  env: Record<string, string>;
}

/** Starts a built service as a child and waits for its /health (liveness) to answer 200. */
export async function startService(name: string, entry: string, env: Record<string, string>, options: { port?: number; timeoutMs?: number } = {}): Promise<Service> {
  const port = options.port ?? (await freePort());
  const full = { ...baseEnv(), HOST: '127.0.0.1', ...env, PORT: String(port) };
  const proc = spawnProc(name, process.execPath, [entry], { env: full, cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!proc.alive()) throw new Error(`${name} exited at start:\n${tail(proc.output())}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProc(proc, 1000);
      throw new Error(`${name} did not answer /health in time:\n${tail(proc.output())}`);
    }
    await sleep(100);
  }
  return { name, url, port, proc, env: full };
}

export async function stopService(service: Service | undefined): Promise<void> {
  if (service) await stopProc(service.proc, 8000);
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Lines of a service's JSON log that match, parsed. */
export function logEntries(proc: Proc, match: (entry: Record<string, unknown>) => boolean): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of proc.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (match(entry)) out.push(entry);
    } catch {
      // not JSON
    }
  }
  return out;
}

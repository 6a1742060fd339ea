import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port.js';

export interface RunningService {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code (a graceful shutdown exits 0). */
  stop(): Promise<number | null>;
}

export interface ExitedService {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built service entry point and waits for its /health to answer. */
export async function startServiceProcess(entry: string, env: Record<string, string>, timeoutMs = 30_000): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not answer /health within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a service expected to refuse to start; resolves with what it printed. */
export function runServiceToExit(entry: string, env: Record<string, string | undefined>, timeoutMs = 15_000): Promise<ExitedService> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const child = spawn(process.execPath, [entry], { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@ttt/observability/testing';
import { type Proc, spawnProc, stopProc } from './procs.js';

/** One PING over a fresh socket: true when Redis answers PONG within the deadline. */
export function redisPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * A Redis of the drills' own, configured as docker-compose configures production's: append-only
 * file on, so queued jobs survive a restart. Stopped and started again on the same port and
 * folder by the Redis drill.
 */
export class PrivateRedis {
  proc: Proc | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(dir: string): Promise<PrivateRedis> {
    await mkdir(dir, { recursive: true });
    return new PrivateRedis(dir, await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 15_000): Promise<number> {
    const t0 = Date.now();
    this.proc = spawnProc(
      'redis',
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'no', '--loglevel', 'warning'],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    for (;;) {
      if (!this.proc.alive()) throw new Error(`redis-server exited at start:\n${this.proc.output()}`);
      if (await redisPing(this.port)) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) throw new Error(`redis-server did not answer within ${timeoutMs} ms:\n${this.proc.output()}`);
      await sleep(50);
    }
  }

  /** SIGTERM: Redis's own shutdown (what `redis-cli shutdown` and a pod's stop do): it flushes the AOF and exits. */
  async shutdown(): Promise<number> {
    const t0 = Date.now();
    if (this.proc) await stopProc(this.proc, 10_000);
    return Date.now() - t0;
  }

  async close(): Promise<void> {
    if (this.proc) await stopProc(this.proc, 5000);
  }
}

import { execFile } from 'node:child_process';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '@ttt/observability/testing';
import pg from 'pg';
import { type Proc, spawnProc, stopProc } from './procs.js';

const run = promisify(execFile);
const BIN = process.env.DRILLS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Postgres refuses to run as root: as root, its processes run as the `postgres` user. */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * A Postgres of the drills' own: a cluster initialised into a temporary folder, on a free port,
 * trust authentication, fsync off. It is a child process of the drills, so they can stop it
 * (`pg_ctl stop -m fast`, as an operator would) and start it again on the same port and data.
 */
export class PrivatePostgres {
  proc: Proc | null = null;
  private constructor(
    readonly dataDir: string,
    readonly socketDir: string,
    readonly port: number,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  static async create(root: string): Promise<PrivatePostgres> {
    const user = await runAs();
    await mkdir(root, { recursive: true });
    const dataDir = join(root, 'data');
    const socketDir = join(root, 'socket');
    await mkdir(dataDir, { recursive: true });
    await mkdir(socketDir, { recursive: true });
    if (user) {
      // The temporary root is root's; the postgres user must be able to reach its folders.
      await chmod(root, 0o755);
      await chown(dataDir, user.uid, user.gid);
      await chown(socketDir, user.uid, user.gid);
    }
    await run(join(BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
      ...(user ?? {}),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    return new PrivatePostgres(dataDir, socketDir, await freePort(), user);
  }

  url(database = 'ttt_drills'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections; resolves with the time that took. */
  async start(timeoutMs = 30_000): Promise<number> {
    const t0 = Date.now();
    this.proc = spawnProc(
      'postgres',
      join(BIN, 'postgres'),
      [
        '-D', this.dataDir,
        '-p', String(this.port),
        '-k', this.socketDir,
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
        '-c', 'shared_buffers=64MB',
        '-c', 'max_connections=200',
        '-c', 'log_min_messages=warning',
        '-c', 'logging_collector=off',
      ],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' }, ...(this.user ?? {}), stopSignal: 'SIGINT' },
    );
    for (;;) {
      if (!this.proc.alive()) throw new Error(`postgres exited at start:\n${this.proc.output()}`);
      const client = new pg.Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 1000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return Date.now() - t0;
      } catch {
        await client.end().catch(() => {});
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${this.proc.output()}`);
      await sleep(100);
    }
  }

  /** `pg_ctl stop -m fast`: clients are disconnected, the server checkpoints and exits. */
  async stopFast(): Promise<number> {
    const t0 = Date.now();
    await run(join(BIN, 'pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'fast', '-w', '-t', '30'], {
      ...(this.user ?? {}),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    if (this.proc) await this.proc.exited;
    return Date.now() - t0;
  }

  async close(): Promise<void> {
    if (this.proc) await stopProc(this.proc, 10_000);
  }
}

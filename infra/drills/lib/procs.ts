import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every process and folder a drill makes is registered here, and `cleanup` ends and removes all
 * of them: at the end of a run, when a drill throws, and on Ctrl-C or SIGTERM. Processes run in
 * process groups of their own, so ending one also ends what it started (the trainer's Python).
 */
export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last ~256 KiB of its stdout and stderr. */
  output(): string;
  alive(): boolean;
  /** A signal to the process alone (not its group): what `kill -9 <pid>` does. */
  signal(sig: NodeJS.Signals): void;
  /** A signal to its whole process group. */
  signalGroup(sig: NodeJS.Signals): void;
  stopSignal: NodeJS.Signals;
}

const procs = new Set<Proc>();
/** Every process started, in order, for the logs of a failed drill. */
export const history: Proc[] = [];
const dirs = new Set<string>();
const cleanups: Array<() => Promise<void> | void> = [];
const KEEP = 256 * 1024;

export interface SpawnOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Run as this user and group (Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  onLine?: (line: string) => void;
  /** What asks it to stop gracefully (Postgres: SIGINT, a fast shutdown). */
  stopSignal?: NodeJS.Signals;
}

export function spawnProc(name: string, command: string, args: string[], options: SpawnOptions): Proc {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let partial = '';
  const take = (d: Buffer) => {
    const s = d.toString();
    out += s;
    if (out.length > KEEP * 2) out = out.slice(-KEEP);
    if (options.onLine) {
      partial += s;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) options.onLine(line);
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      out += `\n[spawn error] ${error.message}\n`;
      resolve({ code: -1, signal: null });
    });
  });
  const proc: Proc = {
    name,
    child,
    pid: child.pid ?? -1,
    exited,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null && child.pid !== undefined,
    signal: (sig) => {
      try {
        process.kill(child.pid!, sig);
      } catch {
        // gone already
      }
    },
    signalGroup: (sig) => {
      // Once the leader is gone its pid may be handed to an unrelated process: signal the group
      // only while it still has members (which keep the id from being reused).
      if (child.pid === undefined || (child.exitCode !== null || child.signalCode !== null ? !groupHasMembers(child.pid) : false)) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // gone already
      }
    },
    stopSignal: options.stopSignal ?? 'SIGTERM',
  };
  procs.add(proc);
  history.push(proc);
  return proc;
}

/** Whether any process is in the process group `pgid` (Linux: /proc/<pid>/stat). */
function groupHasMembers(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) return true;
    } catch {
      // gone
    }
  }
  return false;
}

/** Whether a pid (any process, not only ours) is alive. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function trackDir(dir: string): string {
  dirs.add(dir);
  return dir;
}

/** Work to do at cleanup before processes are killed (closing connections). */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/**
 * Its stop signal to the process, a moment to exit, then SIGKILL to whatever is left of its
 * group (a child it started and did not end).
 */
export async function stopProc(proc: Proc, graceMs = 5000): Promise<void> {
  if (!proc.alive()) {
    proc.signalGroup('SIGKILL');
    procs.delete(proc);
    return;
  }
  proc.signal(proc.stopSignal);
  const done = await Promise.race([proc.exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
  proc.signalGroup('SIGKILL');
  if (!done) await Promise.race([proc.exited, sleep(2000, undefined, { ref: false })]);
  procs.delete(proc);
}

let cleaning: Promise<void> | null = null;

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await Promise.race([fn(), sleep(3000, undefined, { ref: false })]);
      } catch {
        // best effort
      }
    }
    await Promise.all([...procs].map((p) => stopProc(p, 3000)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs.clear();
  })();
  return cleaning;
}

/** Ctrl-C and SIGTERM end every child and remove every folder before the process exits. */
export function installSignalHandlers(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping every process the drills started and removing their folders...\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // Last resort: whatever is left when the process exits for any other reason.
  process.once('exit', () => {
    for (const p of procs) p.signalGroup('SIGKILL');
    for (const dir of dirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  });
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PythonRuntimeError } from './python-runtime-error.js';
import type { TrainerEvent } from './trainer-events.js';

/** services/trainer/python, from src/runtime or dist/runtime alike. */
const PACKAGE_DIR = fileURLToPath(new URL('../../python/', import.meta.url));
const JEMALLOC = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'];
const INSTALL_HINT =
  'Install PyTorch for it (Debian/Ubuntu: apt-get install --no-install-recommends python3-torch python3-numpy python3-onnx ' +
  'libopenblas0-pthread libjemalloc2; elsewhere: pip install torch numpy onnx) or point TRAINER_PYTHON at a Python that has it.';

const SECRET = /SECRET|PASSWORD|TOKEN|API_KEY|ACCESS_KEY|^DATABASE_URL$|^REDIS_URL$|^TEST_DATABASE_URL$/;

const EXIT_CODES: Record<number, { code: string; retryable: boolean }> = {
  2: { code: 'bad_input', retryable: false },
  3: { code: 'nan_loss', retryable: false },
  4: { code: 'torch_missing', retryable: false },
};

export interface RunOptions {
  onEvent?: (event: TrainerEvent) => void;
  signal?: AbortSignal;
  /** Variables to set (a string) or remove (undefined) over the tuned environment. */
  env?: Record<string, string | undefined>;
}

/** The Python program that does the tensor work (`python -m ttt_trainer <command>`). */
export class PythonRuntime {
  private constructor(
    readonly python: string,
    readonly torch: string,
    readonly cuda: boolean,
  ) {}

  /**
   * The first candidate Python that imports torch. Fails with what to install when none does:
   * a training job must say why it cannot run rather than crash deep inside.
   */
  static async locate(preferred?: string): Promise<PythonRuntime> {
    const candidates = preferred ? [preferred] : ['python3', '/usr/bin/python3'];
    const problems: string[] = [];
    for (const python of candidates) {
      try {
        const events = await runPython(python, ['check'], {});
        const check = events.find((e) => e.event === 'check') as Extract<TrainerEvent, { event: 'check' }> | undefined;
        if (check) return new PythonRuntime(python, check.torch, check.cuda);
        problems.push(`${python}: no answer to check`);
      } catch (error) {
        problems.push(`${python}: ${(error as Error).message}`);
      }
    }
    const missing = problems.every((p) => /ENOENT|not found/.test(p));
    throw new PythonRuntimeError(
      `${missing ? 'No Python 3 found' : 'No Python with PyTorch found'} (${problems.join('; ')}). ${INSTALL_HINT}`,
      missing ? 'python_missing' : 'torch_missing',
      false,
    );
  }

  /** Runs one command to its end; resolves with every event it printed. */
  run(args: string[], options: RunOptions = {}): Promise<TrainerEvent[]> {
    return runPython(this.python, args, options);
  }
}

/**
 * The environment measured fastest on small CPU machines: one torch thread with OpenBLAS using
 * the cores (two pools otherwise fight), and jemalloc keeping freed pages (fresh pages cost
 * ~12 µs each on these VMs). Values already set by the operator win.
 */
function runtimeEnv(): NodeJS.ProcessEnv {
  // The Python side needs no credentials; its stderr may end up in logs and the database.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name === 'HF_TOKEN' || !SECRET.test(name)));
  const env: NodeJS.ProcessEnv = {
    OPENBLAS_NUM_THREADS: String(availableParallelism()),
    TTT_TORCH_THREADS: '1',
    ...inherited,
    PYTHONUNBUFFERED: '1',
    TTT_PARENT_PID: String(process.pid),
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const jemalloc = JEMALLOC.find((path) => existsSync(path));
  if (jemalloc && !env.LD_PRELOAD) {
    env.LD_PRELOAD = jemalloc;
    env.MALLOC_CONF ??= 'dirty_decay_ms:-1,muzzy_decay_ms:-1';
  }
  return env;
}

function runPython(python: string, args: string[], { onEvent, signal, env: overrides = {} }: RunOptions): Promise<TrainerEvent[]> {
  return new Promise((resolve, reject) => {
    const env = { ...runtimeEnv(), ...overrides };
    for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete env[name];
    const child = spawn(python, ['-m', 'ttt_trainer', ...args], { cwd: PACKAGE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: TrainerEvent[] = [];
    let stderr = '';
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: TrainerEvent;
      try {
        event = JSON.parse(line) as TrainerEvent;
      } catch {
        stderr = `${stderr}${line}\n`.slice(-4000);
        return;
      }
      events.push(event);
      onEvent?.(event);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.once('error', (error) => reject(new PythonRuntimeError(`${python} could not start: ${error.message}`, 'python_missing', false)));
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolve(events);
      const reported = events.findLast((e) => e.event === 'error') as Extract<TrainerEvent, { event: 'error' }> | undefined;
      const known = code === null ? undefined : EXIT_CODES[code];
      const why = reported?.reason ?? (stderr.trim().split('\n').slice(-8).join('\n') || 'no output');
      if (signal?.aborted) return reject(new PythonRuntimeError(`ttt_trainer ${args[0]} cancelled`, 'cancelled', false));
      if (killedBy) return reject(new PythonRuntimeError(`ttt_trainer ${args[0]} was killed (${killedBy}): ${why}`, 'killed', true));
      const hint = reported?.code === 'torch_missing' ? ` ${INSTALL_HINT}` : '';
      reject(
        new PythonRuntimeError(
          `ttt_trainer ${args[0]} failed (exit ${code}): ${why}${hint}`,
          reported?.code ?? known?.code ?? 'crashed',
          known?.retryable ?? true,
        ),
      );
    });
  });
}

import { spawn } from 'node:child_process';
import { StepFailed } from './steps.mjs';

const running = new Set();

/** Stops every command still running (and what each started), for Ctrl-C or SIGTERM. */
export function stopRunning() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
}

/**
 * Runs a command and resolves with its output; on failure the step fails with the command's
 * last lines. `onLine` sees each line as it comes (for progress).
 */
export function run(command, args, { env = {}, cwd, onLine, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    // A process group of its own, so stopping it stops what it started too (training's Python).
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let output = '';
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!quiet) process.stdout.write(text);
      if (onLine) for (const line of text.split(/[\r\n]+/)) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => reject(new StepFailed(`${command} could not start: ${error.message}`)));
    child.on('close', (code) => {
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new StepFailed(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** Whether a command exits 0, without output. */
export function succeeds(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

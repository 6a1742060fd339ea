import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PythonRuntime } from './python-runtime.js';

describe('the PyTorch runtime’s own unit tests', () => {
  it('pass (model, KV cache, masks, weights, export, quantizer, data checks)', async () => {
    const runtime = await PythonRuntime.locate(process.env.TRAINER_PYTHON);
    const run = spawnSync(runtime.python, ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: fileURLToPath(new URL('../../python/', import.meta.url)),
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '2', TTT_TORCH_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    expect(run.stderr).toMatch(/Ran \d+ tests?/);
    expect(run.stderr).toMatch(/\nOK/);
  }, 180_000);
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const trainerPython = fileURLToPath(new URL('../../trainer/python', import.meta.url));

/** The first python that has torch: the trainer's own runtime writes the test models. */
export function pythonWithTorch(): string {
  const candidates = [process.env.TRAINER_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p && (p === 'python3' || existsSync(p)));
  return candidates[0]!;
}

/** A randomly initialised GPT-2 folder (weights, ONNX fp32 and int8) of a trainer preset; `eosLogit` makes its texts end. */
export async function initModelFolder(out: string, options: { config: 'tiny' | 'small' | 'gpt2'; seed: number; blockSize?: number; eosLogit?: number }): Promise<string> {
  const args = ['-m', 'ttt_trainer', 'init', '--config', options.config, '--seed', String(options.seed), '--out', out];
  if (options.blockSize) args.push('--block-size', String(options.blockSize));
  if (options.eosLogit !== undefined) args.push('--eos-logit', String(options.eosLogit));
  await run(pythonWithTorch(), args, { cwd: trainerPython, maxBuffer: 16 << 20 });
  return out;
}

/** New tokens of the PyTorch reference decode (the trainer's model with its KV cache), per prompt. */
export async function referenceDecode(weights: string, promptIds: number[], maxNewTokens: number): Promise<number[]> {
  const { stdout } = await run(
    pythonWithTorch(),
    ['-m', 'ttt_trainer', 'generate', '--weights', weights, '--prompt-ids', promptIds.join(','), '--max-new-tokens', String(maxNewTokens), '--temperature', '0'],
    { cwd: trainerPython, maxBuffer: 16 << 20 },
  );
  const line = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; ids?: number[][] }).find((e) => e.event === 'generated');
  if (!line?.ids) throw new Error(`no generated event in: ${stdout}`);
  return line.ids[0]!;
}

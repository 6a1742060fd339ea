// Training throughput on this machine, as the trainer runs it and without its CPU tuning, in one
// run so the two compare: `npm run bench:train [-- --config tiny|small|gpt2 --steps N --rounds N]`.
import { parseArgs } from 'node:util';
import { PythonRuntime } from './python-runtime.js';
import type { TrainerEvent } from './trainer-events.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'small' },
    steps: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    device: { type: 'string', default: 'auto' },
  },
});
const runtime = await PythonRuntime.locate(process.env.TRAINER_PYTHON);
const settings: Array<{ name: string; env: Record<string, string | undefined> }> = [
  { name: 'tuned (as the trainer runs it: 1 torch thread, OpenBLAS on every core, jemalloc)', env: {} },
  { name: 'plain (torch defaults, glibc malloc)', env: { LD_PRELOAD: undefined, MALLOC_CONF: undefined, OPENBLAS_NUM_THREADS: undefined, TTT_TORCH_THREADS: undefined } },
];
process.stdout.write(`python ${runtime.python}, torch ${runtime.torch}${runtime.cuda ? ', CUDA' : ''}; config ${values.config}, ${values.steps} steps a run\n`);
const rates = new Map<string, number[]>(settings.map((s) => [s.name, []]));
let shape = '';
// Alternating the settings spreads the machine's noise over both.
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const setting of settings) {
    const events = await runtime.run(['bench', '--config', values.config!, '--steps', values.steps!, '--device', values.device!], { env: setting.env });
    const start = events.find((e) => e.event === 'bench_start') as TrainerEvent & Record<string, unknown>;
    const result = events.find((e) => e.event === 'bench') as TrainerEvent & { tokens_per_s: number; mfu: number | null };
    shape = `${Number(start.params).toLocaleString('en-US')} parameters, batch ${start.batch_size} × ${start.block_size} tokens, ${start.device} ${start.dtype}`;
    rates.get(setting.name)!.push(result.tokens_per_s);
    process.stdout.write(`round ${round}  ${setting.name}: ${Math.round(result.tokens_per_s).toLocaleString('en-US')} tokens/s${result.mfu ? `, MFU ${(result.mfu * 100).toFixed(1)}%` : ''}\n`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [tuned, plain] = settings.map((s) => median(rates.get(s.name)!));
process.stdout.write(`${shape}\nmedian tuned ${Math.round(tuned!).toLocaleString('en-US')} tokens/s, plain ${Math.round(plain!).toLocaleString('en-US')} tokens/s: ${(tuned! / plain!).toFixed(2)}×\n`);

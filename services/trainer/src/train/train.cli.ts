import { artifactStoreFromEnv } from '@ttt/artifacts';
import { loadConfigOrExit, parseCliArgs } from '@ttt/config';
import { EventPublisher, trainJobSchema } from '@ttt/contracts';
import { ProgressBar } from '@ttt/observability';
import pg from 'pg';
import { envSchema } from '../config.js';
import { ModelVersionRepository } from '@ttt/db';
import { PythonRuntime } from '../runtime/python-runtime.js';
import { formatMetrics } from './format-metrics.js';
import { trainModel } from './train-model.js';
import { trainerWorkDir } from './trainer-work-dir.js';

const USAGE = `Usage: npm run train -- --dataset <id> [--dataset <id> ...] <base> [--hp '<json>'] [--resume <key>] [--json]

<base> is one of:
  --scratch <tiny|small|gpt2|'<json config>'>   a new model (n_layer, n_head, n_embd, block_size)
  --from-version <id>                          fine-tune a registered model version
  --weights <folder|artifact URI>              start from GPT-2 weights (Hugging Face names)
  --hub <name>                                 fetch weights from the Hugging Face hub (online only)
--hp sets hyperparameters, e.g. '{"max_steps":300,"batch_size":16,"learning_rate":6e-4}'.
--resume <key> continues the run of that key from its checkpoint (the key is printed at start).
Trains with PyTorch, exports ONNX (fp32 and int8), registers a model version with its metrics.`;

const args = parseCliArgs(USAGE, {
    dataset: { type: 'string', multiple: true },
    scratch: { type: 'string' },
    'from-version': { type: 'string' },
    weights: { type: 'string' },
    hub: { type: 'string' },
    hp: { type: 'string' },
    resume: { type: 'string' },
    json: { type: 'boolean' },
});
const { values } = args;
// Annotated so TypeScript knows it does not return (a destructured one would not narrow).
const usage: (problem: string) => never = args.fail;
const json = (text: string | undefined, what: string): unknown => {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return usage(`${what} must be JSON`);
  }
};
const bases = [values.scratch, values['from-version'], values.weights, values.hub].filter((v) => v !== undefined);
if (bases.length !== 1) usage('give exactly one of --scratch, --from-version, --weights, --hub');
const base = values.scratch !== undefined
  ? { kind: 'scratch', config: values.scratch.startsWith('{') ? json(values.scratch, '--scratch') : { preset: values.scratch } }
  : values['from-version'] !== undefined
    ? { kind: 'version', modelVersionId: Number(values['from-version']) }
    : values.weights !== undefined
      ? { kind: 'weights', location: values.weights }
      : { kind: 'hub', name: values.hub };
const parsed = trainJobSchema.safeParse({ datasetIds: (values.dataset ?? []).map(Number), base, hyperparameters: json(values.hp, '--hp') });
if (!parsed.success) usage(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));

const config = loadConfigOrExit(envSchema.omit({ PORT: true }), 'train');
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
const events = new EventPublisher(config.REDIS_URL);
const runKey = values.resume ?? `cli-${new Date().toISOString().replace(/[:.]/g, '-')}`;
let failed = false;
const bar = new ProgressBar({ label: 'train' });
try {
  const runtime = await PythonRuntime.locate(config.TRAINER_PYTHON);
  process.stderr.write(`run ${runKey} (python ${runtime.python}, torch ${runtime.torch}${runtime.cuda ? ', CUDA' : ''})\n`);
  const { modelVersion, metrics } = await trainModel(
    {
      repo: new ModelVersionRepository(pool),
      store: artifactStoreFromEnv(config),
      runtime,
      workDir: trainerWorkDir(config.TRAINER_WORK_DIR),
      device: config.TRAINER_DEVICE,
      onnxEvalWindows: config.TRAINER_ONNX_EVAL_WINDOWS,
      // The operator runs this on their own machine: any folder they can read will do.
      weightsRoot: '/',
      events,
      log: (entry) => {
        if (entry.msg === 'trainer eval') bar.note(`step ${entry.step}: val loss ${Number(entry.val_loss).toFixed(3)}`);
      },
    },
    {
      payload: parsed.data,
      runKey,
      finalAttempt: true,
      onProgress: (p) =>
        bar.update(
          p.phase === 'training' ? p.fraction : null,
          p.phase === 'training'
            ? `step ${p.step}/${p.maxSteps} loss ${p.loss?.toFixed(3)} ${Math.round(p.tokensPerSecond ?? 0).toLocaleString('en-US')} tok/s${p.etaSeconds ? ` ETA ${Math.round(p.etaSeconds)} s` : ''}`
            : p.phase,
        ),
    },
  );
  bar.done(`model version ${modelVersion.id}`);
  process.stderr.write(`${formatMetrics(modelVersion, metrics)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ modelVersionId: modelVersion.id, category: modelVersion.category, version: modelVersion.version, artifactUri: modelVersion.artifactUri, metrics })}\n`);
} catch (error) {
  bar.done('failed');
  process.stderr.write(`train failed: ${(error as Error).message}\nResume with --resume ${runKey} once fixed, if it got as far as a checkpoint.\n`);
  failed = true;
} finally {
  await events.onModuleDestroy();
  await pool.end();
}
process.exit(failed ? 1 : 0);

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import { EventName, type EventPublisher, type JobPayload, type QueueName } from '@ttt/contracts';
import { writeTokenizerFiles } from '@ttt/tokenizer';
import type { ModelVersionRepository, ModelVersionRow } from '../models/model-version.repository.js';
import { agreement, readTokenFile, scoreOnnx } from '../runtime/onnx-evaluator.js';
import { PythonRuntimeError } from '../runtime/python-runtime-error.js';
import type { PythonRuntime } from '../runtime/python-runtime.js';
import type { TrainerEvent } from '../runtime/trainer-events.js';
import { scratchConfig, TrainInputError } from './scratch-presets.js';

type TrainJob = JobPayload<typeof QueueName.train>;

export interface TrainProgress {
  phase: 'preparing' | 'training' | 'exporting' | 'evaluating' | 'publishing';
  fraction: number;
  step?: number;
  maxSteps?: number;
  loss?: number;
  tokensPerSecond?: number;
  etaSeconds?: number | null;
  valLoss?: number;
}

export interface TrainDeps {
  repo: ModelVersionRepository;
  store: ArtifactStore;
  runtime: PythonRuntime;
  /** Run folders (checkpoints) and fetched artifacts. */
  workDir: string;
  device: 'auto' | 'cpu' | 'cuda';
  onnxEvalWindows: number;
  events?: EventPublisher;
  log: (entry: Record<string, unknown>) => void;
}

export interface TrainRun {
  payload: TrainJob;
  /** Names the run folder: the same key resumes the same run from its checkpoint. */
  runKey: string;
  /** A failure on the last attempt marks the version failed; earlier ones leave it to the retry. */
  finalAttempt: boolean;
  onProgress?: (progress: TrainProgress) => void;
}

export interface TrainedModel {
  modelVersion: ModelVersionRow;
  metrics: ModelMetrics;
}

export interface ModelMetrics {
  valLoss: number;
  valPerplexity: number;
  trainLoss: number;
  steps: number;
  tokensSeen: number;
  tokensPerSecond: number;
  seconds: number;
  device: string;
  params: number;
  /** Loss at the first logged step of the last attempt, and the step it resumed from (if it did). */
  firstLoss: number | null;
  resumedFrom: number | null;
  /** fp32 and int8 ONNX scored by onnxruntime, and PyTorch, on the same validation windows. */
  onnx: { torchValLoss: number; fp32ValLoss: number; int8ValLoss: number; nextTokenAgreement: number; evalTokens: number; fp32Bytes: number; int8Bytes: number };
}

/**
 * A `train` job from datasets to a registered, exported model version: PyTorch trains (resuming
 * from the run folder's checkpoint if a previous attempt was killed), exports ONNX, quantizes
 * it; we score both files with onnxruntime, store the folder and register the version.
 */
export async function trainModel(deps: TrainDeps, run: TrainRun): Promise<TrainedModel> {
  const { repo, store, runtime } = deps;
  const progress = (p: TrainProgress) => run.onProgress?.(p);
  progress({ phase: 'preparing', fraction: 0 });
  const datasets = await repo.datasets(run.payload.datasetIds);
  const missing = run.payload.datasetIds.filter((id) => !datasets.some((d) => d.id === id));
  if (missing.length) throw new TrainInputError(`dataset ${missing.join(', ')} does not exist`);
  const unusable = datasets.filter((d) => d.status !== 'ready' || !d.artifactUri);
  if (unusable.length) throw new TrainInputError(`dataset ${unusable.map((d) => `${d.id} is ${d.status}`).join(', ')}: only ready datasets train`);
  const categories = [...new Set(datasets.map((d) => d.categoryId))];
  const categoryId = categories.length === 1 ? categories[0]! : null;

  const runDir = join(deps.workDir, 'runs', run.runKey);
  const cacheDir = join(deps.workDir, 'cache');
  await mkdir(runDir, { recursive: true });
  const { init, parentId } = await resolveBase(deps, run.payload.base, cacheDir);
  const modelVersion = await versionFor(repo, runDir, { categoryId, base: run.payload.base, parentId, hyperparameters: run.payload.hyperparameters, datasetIds: run.payload.datasetIds });
  deps.log({ msg: 'training started', modelVersionId: modelVersion.id, category: modelVersion.category, version: modelVersion.version, runDir });

  try {
    const folders = await Promise.all(datasets.map((d) => store.fetchFolder(d.artifactUri!, cacheDir)));
    const spec = {
      runDir,
      train: folders.map((f) => join(f, 'train.bin')),
      val: folders.map((f) => join(f, 'val.bin')),
      init,
      hyperparameters: run.payload.hyperparameters,
      device: deps.device,
    };
    await writeFile(join(runDir, 'spec.json'), JSON.stringify(spec, null, 2));
    let lastLog = 0;
    const trained = await runtime.run(['train', '--spec', join(runDir, 'spec.json')], {
      onEvent: (e) => {
        if (e.event === 'step') {
          const s = e as Extract<TrainerEvent, { event: 'step' }>;
          progress({ phase: 'training', fraction: s.step / s.max_steps, step: s.step, maxSteps: s.max_steps, loss: s.loss, tokensPerSecond: s.tokens_per_s, etaSeconds: s.eta_s });
          if (Date.now() - lastLog > 10_000) {
            lastLog = Date.now();
            deps.log({ msg: 'training', modelVersionId: modelVersion.id, ...s });
          }
        } else if (e.event !== 'step') {
          deps.log({ msg: `trainer ${e.event}`, modelVersionId: modelVersion.id, ...e });
        }
      },
    });
    const start = trained.find((e) => e.event === 'start') as Extract<TrainerEvent, { event: 'start' }>;
    const done = trained.findLast((e) => e.event === 'done') as Extract<TrainerEvent, { event: 'done' }> | undefined;
    if (!done) throw new PythonRuntimeError('ttt_trainer train ended without a result', 'crashed', true);

    progress({ phase: 'exporting', fraction: 1 });
    const modelDir = join(runDir, 'model');
    await rm(modelDir, { recursive: true, force: true });
    const exported = await runtime.run(['export', '--weights', join(runDir, 'final'), '--out', modelDir]);
    const quantized = await runtime.run(['quantize', '--in', join(modelDir, 'onnx', 'model.onnx'), '--out', join(modelDir, 'onnx', 'model_quantized.onnx')]);
    const config = JSON.parse(await readFile(join(modelDir, 'config.json'), 'utf8')) as { n_layer: number; n_head: number; n_embd: number; n_positions: number };
    await writeTokenizerFiles(modelDir, config.n_positions);
    // The weights ride along in Hugging Face names, so a later run can fine-tune this version.
    await copyFile(join(runDir, 'final', 'pytorch_model.bin'), join(modelDir, 'pytorch_model.bin'));
    deps.log({ msg: 'model exported', modelVersionId: modelVersion.id, exported: exported.at(-1), quantized: quantized.at(-1) });

    progress({ phase: 'evaluating', fraction: 1 });
    const onnx = await compareOnnx(runtime, runDir, config, spec.val, deps.onnxEvalWindows, blockSizeOf(run.payload.hyperparameters, config.n_positions));

    progress({ phase: 'publishing', fraction: 1 });
    const metrics: ModelMetrics = {
      valLoss: done.val_loss,
      valPerplexity: done.val_ppl,
      trainLoss: done.train_loss,
      steps: done.step,
      tokensSeen: done.tokens_seen,
      tokensPerSecond: done.tokens_per_s,
      seconds: done.seconds,
      device: start?.device ?? 'unknown',
      params: start?.params ?? 0,
      firstLoss: (trained.find((e) => e.event === 'step') as Extract<TrainerEvent, { event: 'step' }> | undefined)?.loss ?? null,
      resumedFrom: start?.resumed_from ?? null,
      onnx,
    };
    const key = `models/${modelVersion.category ?? 'base'}/v${modelVersion.version}`;
    const artifactUri = await store.putFolder(modelDir, key);
    await repo.markReady(modelVersion.id, artifactUri, metrics);
    const ready = (await repo.find(modelVersion.id))!;
    await deps.events
      ?.publish(EventName.modelPublished, { modelVersionId: ready.id, category: ready.category })
      .catch((error) => deps.log({ msg: 'model.published not announced', error: (error as Error).message }));
    deps.log({ msg: 'model published', modelVersionId: ready.id, artifactUri, valLoss: metrics.valLoss, int8ValLoss: onnx.int8ValLoss });
    await rm(runDir, { recursive: true, force: true });
    return { modelVersion: ready, metrics };
  } catch (error) {
    const retryable = error instanceof PythonRuntimeError ? error.retryable : !(error instanceof TrainInputError);
    if (!retryable || run.finalAttempt) await repo.markFailed(modelVersion.id, (error as Error).message);
    throw error;
  }
}

/** What the runtime starts from, and the version it fine-tunes (if any). */
async function resolveBase(deps: TrainDeps, base: TrainJob['base'], cacheDir: string): Promise<{ init: object; parentId: number | null }> {
  switch (base.kind) {
    case 'scratch':
      return { init: { kind: 'scratch', config: scratchConfig(base.config) }, parentId: null };
    case 'hub':
      return { init: { kind: 'hub', name: base.name }, parentId: null };
    case 'weights': {
      if (/^(file|s3):/.test(base.location)) return { init: { kind: 'weights', path: await deps.store.fetchFolder(base.location, cacheDir) }, parentId: null };
      if (!isAbsolute(base.location) || !existsSync(join(base.location, 'config.json'))) {
        throw new TrainInputError(`weights folder ${base.location} has no config.json (give an absolute folder or an artifact URI)`);
      }
      return { init: { kind: 'weights', path: base.location }, parentId: null };
    }
    case 'version': {
      const parent = await deps.repo.find(base.modelVersionId);
      if (!parent) throw new TrainInputError(`model version ${base.modelVersionId} does not exist`);
      if (!parent.artifactUri || !['ready', 'active', 'retired'].includes(parent.status)) {
        throw new TrainInputError(`model version ${base.modelVersionId} is ${parent.status}: only a finished version can be fine-tuned`);
      }
      return { init: { kind: 'weights', path: await deps.store.fetchFolder(parent.artifactUri, cacheDir) }, parentId: parent.id };
    }
  }
}

/** The run's version: the one an earlier attempt of the same run registered, else a new one. */
async function versionFor(repo: ModelVersionRepository, runDir: string, input: Parameters<ModelVersionRepository['create']>[0]): Promise<ModelVersionRow> {
  const stateFile = join(runDir, 'version.json');
  if (existsSync(stateFile)) {
    const { modelVersionId } = JSON.parse(await readFile(stateFile, 'utf8')) as { modelVersionId: number };
    const earlier = await repo.find(modelVersionId);
    if (earlier && earlier.status !== 'ready' && earlier.status !== 'active') {
      await repo.markTraining(earlier.id);
      return earlier;
    }
  }
  const created = await repo.create(input);
  await writeFile(stateFile, JSON.stringify({ modelVersionId: created.id }));
  return created;
}

function blockSizeOf(hyperparameters: Record<string, unknown>, positions: number): number {
  const asked = typeof hyperparameters.block_size === 'number' ? hyperparameters.block_size : positions;
  return Math.min(asked, positions);
}

async function compareOnnx(
  runtime: PythonRuntime,
  runDir: string,
  config: { n_layer: number; n_head: number; n_embd: number },
  valFiles: string[],
  windows: number,
  blockSize: number,
): Promise<ModelMetrics['onnx']> {
  // An even share of windows from each dataset's validation split.
  const per = Math.ceil(windows / valFiles.length) * blockSize + 1;
  const parts = await Promise.all(valFiles.map(async (f) => (await readTokenFile(f)).subarray(0, per)));
  const val = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (val.set(p, offset), offset + p.length), 0);
  const modelDir = join(runDir, 'model');
  const fp32Path = join(modelDir, 'onnx', 'model.onnx');
  const int8Path = join(modelDir, 'onnx', 'model_quantized.onnx');
  const fp32 = await scoreOnnx(fp32Path, config, val, { windows, blockSize });
  const int8 = await scoreOnnx(int8Path, config, val, { windows, blockSize });
  // PyTorch on exactly these windows: how faithful the export is, not sampling noise.
  const evalFile = join(runDir, 'eval.bin');
  await writeFile(evalFile, new Uint8Array(val.buffer, val.byteOffset, val.byteLength));
  const torch = (await runtime.run(['evaluate', '--weights', join(runDir, 'final'), '--val', evalFile, '--max-tokens', String(fp32.tokens), '--block-size', String(blockSize)])).find(
    (e) => e.event === 'evaluated',
  ) as Extract<TrainerEvent, { event: 'evaluated' }>;
  return {
    torchValLoss: torch.val_loss,
    fp32ValLoss: fp32.valLoss,
    int8ValLoss: int8.valLoss,
    nextTokenAgreement: agreement(fp32.argmax, int8.argmax),
    evalTokens: fp32.tokens,
    fp32Bytes: (await stat(fp32Path)).size,
    int8Bytes: (await stat(int8Path)).size,
  };
}

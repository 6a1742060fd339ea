import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import { EventName, type EventPublisher, type JobPayload, type QueueName } from '@ttt/contracts';
import { writeTokenizerFiles } from '@ttt/tokenizer';
import type { ModelVersionRepository, ModelVersionRow } from '@ttt/db';
import { PythonRuntimeError } from '../runtime/python-runtime-error.js';
import type { PythonRuntime } from '../runtime/python-runtime.js';
import type { TrainerEvent } from '../runtime/trainer-events.js';
import { compareOnnx } from './compare-onnx.js';
import type { ModelMetrics } from './model-metrics.js';
import { resolveBase } from './resolve-base.js';
import { runKeyOf } from './run-key.js';
import { runVersion } from './run-version.js';
import { TrainInputError } from './train-input-error.js';

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
  /** Local weights folders allowed as a base (see resolveBase); null: artifact URIs only. */
  weightsRoot: string | null;
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

export type { ModelMetrics } from './model-metrics.js';

export interface TrainedModel {
  modelVersion: ModelVersionRow;
  metrics: ModelMetrics;
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

  const runDir = join(deps.workDir, 'runs', runKeyOf(run.runKey));
  const cacheDir = join(deps.workDir, 'cache');
  await mkdir(runDir, { recursive: true });
  const { init, parentId } = await resolveBase(deps, run.payload.base, cacheDir);
  const { version: modelVersion, done: published } = await runVersion(repo, runDir, {
    categoryId,
    base: run.payload.base,
    parentId,
    hyperparameters: run.payload.hyperparameters,
    datasetIds: run.payload.datasetIds,
  });
  if (published) {
    // An earlier attempt published it and died before tidying up: its result stands.
    await rm(runDir, { recursive: true, force: true });
    return { modelVersion, metrics: modelVersion.metrics as unknown as ModelMetrics };
  }
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
    // transformers.js's name for 4-bit weights; the inference service serves it with INFERENCE_PRECISION=int4.
    await runtime.run(['quantize', '--bits', '4', '--in', join(modelDir, 'onnx', 'model.onnx'), '--out', join(modelDir, 'onnx', 'model_q4.onnx')]);
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
    // "_" cannot start a category slug, so base models never share a folder with a category.
    const key = `models/${modelVersion.category ?? '_base'}/v${modelVersion.version}`;
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
    if (!retryable || run.finalAttempt) {
      // The run's own error is the one to report, even if recording it fails too.
      await repo.markFailed(modelVersion.id, (error as Error).message).catch(() => {});
    }
    throw error;
  }
}

function blockSizeOf(hyperparameters: Record<string, unknown>, positions: number): number {
  const asked = typeof hyperparameters.block_size === 'number' ? hyperparameters.block_size : positions;
  return Math.min(asked, positions);
}

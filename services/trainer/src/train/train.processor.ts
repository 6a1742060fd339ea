import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { ARTIFACT_STORE, type ArtifactStore } from '@ttt/artifacts';
import { EventPublisher, QueueName, takeJobPayload } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import { type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { join } from 'node:path';
import { type Config, TRAINER_CONFIG } from '../config.js';
import { ModelVersionRepository } from '@ttt/db';
import { PythonRuntime } from '../runtime/python-runtime.js';
import { PythonRuntimeError } from '../runtime/python-runtime-error.js';
import { TrainInputError } from './train-input-error.js';
import { trainModel, type ModelMetrics } from './train-model.js';
import { runVersionId } from './run-version.js';
import { trainerWorkDir } from './trainer-work-dir.js';
import { InJobContext } from '@ttt/observability';

export interface TrainResult {
  modelVersionId: number;
  category: string | null;
  version: number;
  artifactUri: string;
  metrics: ModelMetrics;
}

/**
 * `train` jobs. One at a time per process: a run owns the machine's cores or its GPU. A worker
 * killed mid-run loses its lock; BullMQ hands the job out again and the run resumes from the
 * checkpoint in its folder, which is named by the job id (TRAINER_WORK_DIR must outlive the
 * worker: a persistent volume on Kubernetes). The lock is long because scoring a large model
 * with onnxruntime holds the event loop for a while; a dead worker's job waits that long.
 */
@Processor(QueueName.train, { concurrency: 1, lockDuration: 5 * 60_000, maxStalledCount: 3 })
export class TrainProcessor extends WorkerHost {
  private readonly logger = new Logger(TrainProcessor.name);
  private readonly repo: ModelVersionRepository;
  private runtime?: Promise<PythonRuntime>;

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(TRAINER_CONFIG) private readonly config: Config,
    private readonly events: EventPublisher,
  ) {
    super();
    this.repo = new ModelVersionRepository(pool);
  }

  /**
   * A job that failed for good without its version being told (it stalled out after repeated
   * worker deaths) leaves the version `training`; mark it failed so nobody waits on it.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || (await job.getState().catch(() => 'unknown')) !== 'failed') return;
    const id = await runVersionId(join(trainerWorkDir(this.config.TRAINER_WORK_DIR), 'runs', `job-${job.id}`)).catch(() => null);
    const version = id === null ? null : await this.repo.find(id);
    if (version?.status === 'training') await this.repo.markFailed(version.id, error.message).catch(() => {});
  }

  @InJobContext()
  async process(job: Job): Promise<TrainResult> {
    try {
      const payload = takeJobPayload(QueueName.train, job.data);
      // Found once and kept; a failed search is retried by the next job (torch may be installed since).
      this.runtime ??= PythonRuntime.locate(this.config.TRAINER_PYTHON).catch((error) => {
        this.runtime = undefined;
        throw error;
      });
      const runtime = await this.runtime;
      let lastReport = 0;
      const trained = await trainModel(
        {
          repo: this.repo,
          store: this.store,
          runtime,
          workDir: trainerWorkDir(this.config.TRAINER_WORK_DIR),
          device: this.config.TRAINER_DEVICE,
          onnxEvalWindows: this.config.TRAINER_ONNX_EVAL_WINDOWS,
          weightsRoot: this.config.TRAINER_WEIGHTS_DIR ?? null,
          events: this.events,
          log: (entry) => this.logger.log({ jobId: job.id, ...entry }),
        },
        {
          payload,
          runKey: `job-${job.id}`,
          finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          onProgress: (p) => {
            if (p.phase === 'training' && Date.now() - lastReport < 1000 && p.fraction < 1) return;
            lastReport = Date.now();
            void job.updateProgress({ ...p }).catch(() => {});
          },
        },
      );
      const { modelVersion, metrics } = trained;
      return { modelVersionId: modelVersion.id, category: modelVersion.category, version: modelVersion.version, artifactUri: modelVersion.artifactUri!, metrics };
    } catch (error) {
      this.logger.error({ msg: 'training failed', jobId: job.id, error: (error as Error).message });
      // Bad input, NaN loss, a missing torch: the same job would fail the same way again.
      if (error instanceof TrainInputError || (error instanceof PythonRuntimeError && !error.retryable)) {
        throw new UnrecoverableError((error as Error).message);
      }
      throw error;
    }
  }
}

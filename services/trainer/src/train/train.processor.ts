import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { ArtifactStore } from '@ttt/artifacts';
import { EventPublisher, JobPayloadError, QueueName, takeJobPayload } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import { type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { ARTIFACT_STORE } from '../artifact-store.provider.js';
import { type Config, TRAINER_CONFIG } from '../config.js';
import { ModelVersionRepository } from '../models/model-version.repository.js';
import { PythonRuntime } from '../runtime/python-runtime.js';
import { PythonRuntimeError } from '../runtime/python-runtime-error.js';
import { TrainInputError } from './scratch-presets.js';
import { trainModel, type ModelMetrics } from './train-model.js';
import { trainerWorkDir } from './trainer-work-dir.js';

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
 * checkpoint in its folder, which is named by the job id.
 */
@Processor(QueueName.train, { concurrency: 1 })
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
      if (error instanceof JobPayloadError || error instanceof TrainInputError || (error instanceof PythonRuntimeError && !error.retryable)) {
        throw new UnrecoverableError((error as Error).message);
      }
      throw error;
    }
  }
}

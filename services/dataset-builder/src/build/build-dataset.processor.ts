import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ARTIFACT_STORE, type ArtifactStore } from '@ttt/artifacts';
import { EventName, EventPublisher, QueueName, takeJobPayload } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import { TokenizerPool } from '@ttt/tokenizer';
import { type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { type Config, DATASET_BUILDER_CONFIG } from '../config.js';
import { DatasetTooSmallError, EmptyDatasetError, UnknownCategoryError } from './build-dataset-errors.js';
import { buildDataset } from './build-dataset.js';
import { DatasetRepository } from './dataset.repository.js';
import { InJobContext } from '@ttt/observability';

export interface BuildDatasetResult {
  datasetId: number;
  artifactUri: string;
  read: number;
  kept: number;
  trainTokens: number;
  valTokens: number;
}

/** `build-dataset` jobs: the CLI's build, run by a worker, with progress on the job. */
@Processor(QueueName.buildDataset)
export class BuildDatasetProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(BuildDatasetProcessor.name);
  private readonly repo: DatasetRepository;
  private readonly tokenizer = new TokenizerPool();

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(DATASET_BUILDER_CONFIG) private readonly config: Config,
    private readonly events: EventPublisher,
  ) {
    super();
    this.repo = new DatasetRepository(pool);
  }

  async onModuleDestroy(): Promise<void> {
    await this.tokenizer.close();
  }

  @InJobContext()
  async process(job: Job): Promise<BuildDatasetResult> {
    const payload = takeJobPayload(QueueName.buildDataset, job.data);
    this.logger.log({ msg: 'dataset build started', jobId: job.id, ...payload });
    let lastReport = 0;
    try {
      const built = await buildDataset(this.repo, this.store, this.tokenizer, {
        ...payload,
        minTrainTokens: this.config.DATASET_MIN_TRAIN_TOKENS,
        minValTokens: this.config.DATASET_MIN_VAL_TOKENS,
        onProgress: ({ read, total, kept }) => {
          if (Date.now() - lastReport < 500 && read < total) return;
          lastReport = Date.now();
          void job.updateProgress({ fraction: Math.min(1, read / total), read, total, kept }).catch(() => {});
        },
      });
      const { manifest } = built;
      await this.events.publish(EventName.datasetBuilt, { datasetId: built.datasetId, category: built.category }).catch((error) =>
        this.logger.warn({ msg: 'dataset.built not announced', datasetId: built.datasetId, error: (error as Error).message }),
      );
      const result = {
        datasetId: built.datasetId,
        artifactUri: built.artifactUri,
        read: manifest.read,
        kept: manifest.kept,
        trainTokens: manifest.splits.train.tokens,
        valTokens: manifest.splits.val.tokens,
      };
      this.logger.log({ msg: 'dataset built', jobId: job.id, ...result, dropped: manifest.dropped });
      return result;
    } catch (error) {
      // None of these change by retrying: the data or the request must change first.
      if (error instanceof UnknownCategoryError || error instanceof EmptyDatasetError || error instanceof DatasetTooSmallError) {
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }
}

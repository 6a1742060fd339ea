import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueName, takeJobPayload } from '@ttt/contracts';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { ModelCatalogRepository } from '../models/model-catalog.repository.js';
import { ModelRegistry } from '../models/model-registry.js';
import { CorpusCache } from '../pool/corpus-cache.js';
import { poolSampling } from '../pool/pool-sampling.js';
import { queueWorker } from '../pool/queue-worker.js';
import { type Evaluation, evaluateModel } from './evaluate-model.js';
import { InJobContext } from '@ttt/observability';

/** `evaluate` jobs: records a version's evaluation in its metrics, where GET /v1/models shows it. */
@Injectable()
export class EvaluateProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EvaluateProcessor.name);
  private worker?: Worker;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly catalog: ModelCatalogRepository,
    private readonly corpora: CorpusCache,
    private readonly tokenizer: Gpt2Tokenizer,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {}

  onModuleInit(): void {
    // Evaluations hold the event loop for a moment (the detector trains in JavaScript); lock generously.
    this.worker = queueWorker(this.config, QueueName.evaluate, (job) => this.process(job), { concurrency: 1, lockDuration: 120_000 });
    this.worker.on('failed', (job, error) => this.logger.warn({ msg: 'evaluate failed', jobId: job?.id, error: error.message }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  @InJobContext()
  async process(job: Job): Promise<Evaluation & { modelVersionId: number }> {
    const { modelVersionId } = takeJobPayload(QueueName.evaluate, job.data);
    const model = await this.registry.byId(modelVersionId);
    const corpus = await this.corpora.get(modelVersionId, model.row.datasetIds);
    if (corpus.heldOut.length < 2) {
      throw new UnrecoverableError(`model version ${modelVersionId} has ${corpus.heldOut.length} held-out human tweets in its datasets; an evaluation needs some to set its samples against`);
    }
    const evaluation = await evaluateModel(model, this.tokenizer, corpus, (seed) => poolSampling(this.config, seed), this.config.EVALUATE_SAMPLES, (fraction) =>
      void job.updateProgress(Math.round(fraction * 100)).catch(() => {}),
    );
    await this.catalog.mergeMetrics(modelVersionId, { evaluation });
    this.logger.log({ msg: 'model evaluated', model: model.name, ...evaluation });
    return { modelVersionId, ...evaluation };
  }
}

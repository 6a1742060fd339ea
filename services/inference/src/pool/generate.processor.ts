import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueName, takeJobPayload } from '@ttt/contracts';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import type { Job, Worker } from 'bullmq';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { InferenceMetrics } from '../metrics/inference-metrics.js';
import { ModelRegistry } from '../models/model-registry.js';
import { modelName } from '../models/model-name.js';
import { CorpusCache } from './corpus-cache.js';
import { generateMachineTweets } from './generate-machine-tweets.js';
import { PoolRepository } from './pool.repository.js';
import { poolSampling } from './pool-sampling.js';
import { queueWorker } from './queue-worker.js';
import { InJobContext } from '@ttt/observability';

export interface GenerateResult {
  modelVersionId: number;
  accepted: number;
  generated: number;
  rejected: Record<string, number>;
}

// A model that produces almost nothing usable must not spin forever: give up after this many
// sequences per wanted tweet, and say so in the job's result.
const ATTEMPTS_PER_TWEET = 5;

/** `generate` jobs: adds `count` machine tweets of a version to the game's pool. */
@Injectable()
export class GenerateProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(GenerateProcessor.name);
  private worker?: Worker;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly repo: PoolRepository,
    private readonly corpora: CorpusCache,
    private readonly tokenizer: Gpt2Tokenizer,
    private readonly metrics: InferenceMetrics,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {}

  onModuleInit(): void {
    this.worker = queueWorker(this.config, QueueName.generate, (job) => this.process(job), { concurrency: 1 });
    this.worker.on('failed', (job, error) => this.logger.warn({ msg: 'generate failed', jobId: job?.id, error: error.message }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  @InJobContext()
  async process(job: Job): Promise<GenerateResult> {
    const { modelVersionId, count } = takeJobPayload(QueueName.generate, job.data);
    const model = await this.registry.byId(modelVersionId);
    const corpus = await this.corpora.get(modelVersionId, model.row.datasetIds);
    const batch = await generateMachineTweets(model, this.tokenizer, corpus.index, (seed) => poolSampling(this.config, seed), {
      count,
      maxAttempts: count * ATTEMPTS_PER_TWEET,
      filter: true,
      onProgress: (accepted) => void job.updateProgress({ accepted, count }).catch(() => {}),
    });
    await this.repo.insert(modelVersionId, batch.accepted);
    await this.repo.addPoolCounts(modelVersionId, batch.accepted.length, batch.rejected);
    const label = { model: modelName(model.row.category) };
    this.metrics.poolAccepted.inc(label, batch.accepted.length);
    for (const [reason, n] of Object.entries(batch.rejected)) this.metrics.poolRejections.inc({ ...label, reason }, n);
    const result = { modelVersionId, accepted: batch.accepted.length, generated: batch.generated, rejected: batch.rejected };
    this.logger.log({ msg: 'pool filled', ...result });
    return result;
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { QueueName, TypedQueue, redisConnection } from '@ttt/contracts';
import { Queue } from 'bullmq';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { PoolRepository } from './pool.repository.js';

/**
 * Keeps every active version's pool at POOL_TARGET unserved machine tweets, and has every
 * ready or active version evaluated once. Job ids name the version, so however many workers
 * run this, one refill and one evaluation per version are queued at a time.
 */
@Injectable()
export class PoolKeeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PoolKeeper.name);
  private timer?: NodeJS.Timeout;
  private generate?: TypedQueue<typeof QueueName.generate>;
  private evaluate?: TypedQueue<typeof QueueName.evaluate>;
  private checking = false;

  constructor(
    private readonly repo: PoolRepository,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    const options = { connection: redisConnection(this.config.REDIS_URL), prefix: this.config.QUEUE_PREFIX };
    this.generate = new TypedQueue(QueueName.generate, new Queue(QueueName.generate, options));
    this.evaluate = new TypedQueue(QueueName.evaluate, new Queue(QueueName.evaluate, options));
    this.timer = setInterval(() => void this.check(), this.config.POOL_CHECK_MS);
    void this.check();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.generate?.queue.close(), this.evaluate?.queue.close()]);
  }

  /** One pass: a refill job for each version short of its target, an evaluation for each not yet evaluated. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const version of await this.repo.versionsToKeep()) {
        // Evaluation sets samples against the held-out tweets of the version's datasets: none, nothing to evaluate against.
        if (!version.evaluated && version.hasDatasets) {
          await this.evaluate!.add({ modelVersionId: version.id }, { jobId: `evaluate-v${version.id}`, removeOnComplete: true, removeOnFail: true });
        }
        if (version.status !== 'active' || this.config.POOL_TARGET === 0) continue;
        const missing = this.config.POOL_TARGET - (await this.repo.unserved(version.id));
        // Refill in steps of at least a tenth of the target: one job per served tweet would be waste.
        if (missing >= Math.max(1, Math.ceil(this.config.POOL_TARGET / 10))) {
          await this.generate!.add({ modelVersionId: version.id, count: missing }, { jobId: `pool-v${version.id}`, removeOnComplete: true, removeOnFail: true });
        }
      }
    } catch (error) {
      this.logger.warn({ msg: 'pool check failed', error: (error as Error).message });
    } finally {
      this.checking = false;
    }
  }
}

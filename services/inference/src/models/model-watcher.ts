import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventName } from '@ttt/contracts';
import { Redis } from 'ioredis';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { ModelRegistry } from './model-registry.js';

/**
 * Keeps the registry in line with Postgres: at start, on every `model.activated` and
 * `model.published` announcement, and every INFERENCE_REFRESH_MS in case an announcement was
 * missed (events are hints; the database is the truth).
 */
@Injectable()
export class ModelWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ModelWatcher.name);
  private subscriber?: Redis;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: ModelRegistry,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the service answers health checks (and 503 for models still loading) meanwhile.
    this.refresh('start');
    this.timer = setInterval(() => this.refresh('interval'), this.config.INFERENCE_REFRESH_MS);
    this.subscriber = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.subscriber.on('error', (error) => this.logger.warn({ msg: 'event subscription', error: error.message }));
    this.subscriber.subscribe(EventName.modelActivated, EventName.modelPublished).catch(() => {});
    this.subscriber.on('message', (channel) => this.refresh(channel));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => {});
    await this.registry.close();
  }

  private refresh(reason: string): void {
    this.registry.refresh().catch((error: Error) => this.logger.warn({ msg: 'model refresh failed', reason, error: error.message }));
  }
}

import { type DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { ARTIFACT_STORE, type ArtifactStore, artifactStoreProvider } from '@ttt/artifacts';
import { QueueName, redisConnection } from '@ttt/contracts';
import { DbModule, PG_POOL } from '@ttt/db';
import { ObservabilityModule } from '@ttt/observability';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { type Config, INFERENCE_CONFIG } from './config.js';
import { GENERATOR } from './generation/generator.js';
import { LocalGenerator } from './generation/local-generator.js';
import { InferenceProcessor } from './gateway/inference.processor.js';
import { QueueGenerator } from './gateway/queue-generator.js';
import { ModelsController } from './http/models.controller.js';
import { InferenceMetrics } from './metrics/inference-metrics.js';
import { ModelCatalogRepository } from './models/model-catalog.repository.js';
import { ModelRegistry } from './models/model-registry.js';
import { ModelWatcher } from './models/model-watcher.js';
import { poolProviders } from './pool/pool.providers.js';

/**
 * One image, three roles. all: HTTP and generation in one process (one machine). gateway:
 * HTTP only, requests go to workers through the `inference` queue. worker: generation only,
 * taking `inference`, `generate` (the game's pool) and `evaluate` jobs.
 */
@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    const generates = config.INFERENCE_ROLE !== 'gateway';
    const serves = config.INFERENCE_ROLE !== 'worker';
    const providers: Provider[] = [
      { provide: INFERENCE_CONFIG, useValue: config },
      { provide: ModelCatalogRepository, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new ModelCatalogRepository(pool) },
      { provide: InferenceMetrics, inject: [Registry], useFactory: (registry: Registry) => new InferenceMetrics(registry) },
      { provide: Gpt2Tokenizer, useFactory: () => new Gpt2Tokenizer() },
    ];
    if (generates) {
      const logger = new Logger(ModelRegistry.name);
      providers.push(
        artifactStoreProvider(config),
        {
          provide: ModelRegistry,
          inject: [ModelCatalogRepository, ARTIFACT_STORE, InferenceMetrics],
          useFactory: (catalog: ModelCatalogRepository, store: ArtifactStore, metrics: InferenceMetrics) =>
            new ModelRegistry(catalog, store, metrics, {
              precision: config.INFERENCE_PRECISION,
              threads: config.INFERENCE_THREADS,
              maxBatch: config.INFERENCE_MAX_BATCH,
              maxQueue: config.INFERENCE_MAX_QUEUE,
              cacheDir: config.INFERENCE_CACHE_DIR,
              maxPinned: 4,
              log: (entry) => logger.log(entry),
            }),
        },
        ModelWatcher,
        {
          provide: LocalGenerator,
          inject: [ModelRegistry, Gpt2Tokenizer, InferenceMetrics],
          useFactory: (registry: ModelRegistry, tokenizer: Gpt2Tokenizer, metrics: InferenceMetrics) => new LocalGenerator(registry, tokenizer, metrics),
        },
        ...poolProviders(config),
      );
    }
    if (config.INFERENCE_ROLE === 'worker') providers.push(InferenceProcessor);
    if (config.INFERENCE_ROLE === 'all') providers.push({ provide: GENERATOR, useExisting: LocalGenerator });
    if (config.INFERENCE_ROLE === 'gateway') {
      providers.push({
        provide: GENERATOR,
        useFactory: async () => {
          const connection = redisConnection(config.REDIS_URL);
          const queue = new Queue(QueueName.inference, { connection, prefix: config.QUEUE_PREFIX });
          const events = new QueueEvents(QueueName.inference, { connection, prefix: config.QUEUE_PREFIX });
          await events.waitUntilReady();
          return new QueueGenerator(queue, events, new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }), {
            timeoutMs: config.INFERENCE_REQUEST_TIMEOUT_MS,
            maxQueue: config.INFERENCE_MAX_QUEUE,
            maxBatch: config.INFERENCE_MAX_BATCH,
          });
        },
      });
    }
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'inference', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: 4 }),
      ],
      controllers: serves ? [ModelsController] : [],
      providers,
    };
  }
}

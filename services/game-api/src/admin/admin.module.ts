import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { EventPublisher, redisConnection } from '@ttt/contracts';
import type { Config } from '../config.js';
import { type AdminQueues, adminQueuesProvider, queueNames } from './admin-queues.js';
import { AdminKeys } from './admin-keys.js';
import { ADMIN_KEYS, ADMIN_QUEUES } from './admin.tokens.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { CategoriesController } from './categories.controller.js';
import { CategoriesRepository } from './categories.repository.js';
import { DocsController } from './docs.controller.js';
import { JobsController } from './jobs.controller.js';
import { ModelsController } from './models.controller.js';
import { QueueMetrics } from './queue-metrics.js';
import { QUEUES_BOARD_PATH, queuesBoard } from './queues-board.js';
import { SourcesController } from './sources.controller.js';
import { SourcesRepository } from './sources.repository.js';

/**
 * The operators' API under /admin: categories, sources, jobs, model versions, its docs, the
 * queues' board (/admin/queues) and the queues' depths for Prometheus.
 */
@Module({})
export class AdminModule implements NestModule {
  constructor(
    @Inject(ADMIN_QUEUES) private readonly queues: AdminQueues,
    @Inject(ADMIN_KEYS) private readonly keys: AdminKeys,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(queuesBoard(this.queues, this.keys)).forRoutes(QUEUES_BOARD_PATH, `${QUEUES_BOARD_PATH}/{*path}`);
  }

  static forRoot(config: Config): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue(...queueNames.map((name) => ({ name }))),
      ],
      controllers: [CategoriesController, SourcesController, JobsController, ModelsController, DocsController],
      providers: [
        { provide: ADMIN_KEYS, useValue: new AdminKeys(config.ADMIN_API_KEYS) },
        { provide: EventPublisher, useFactory: () => new EventPublisher(config.REDIS_URL) },
        adminQueuesProvider,
        ApiKeyGuard,
        QueueMetrics,
        CategoriesRepository,
        SourcesRepository,
      ],
    };
  }
}

import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventPublisher, redisConnection } from '@ttt/contracts';
import type { Config } from '../config.js';
import { adminQueuesProvider, queueNames } from './admin-queues.js';
import { ADMIN_API_KEYS } from './admin.tokens.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { CategoriesController } from './categories.controller.js';
import { CategoriesRepository } from './categories.repository.js';
import { DocsController } from './docs.controller.js';
import { JobsController } from './jobs.controller.js';
import { ModelsController } from './models.controller.js';
import { SourcesController } from './sources.controller.js';
import { SourcesRepository } from './sources.repository.js';

/** The operators' API under /admin: categories, sources, jobs, model versions, and its docs. */
@Module({})
export class AdminModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue(...queueNames.map((name) => ({ name }))),
      ],
      controllers: [CategoriesController, SourcesController, JobsController, ModelsController, DocsController],
      providers: [
        { provide: ADMIN_API_KEYS, useValue: config.ADMIN_API_KEYS },
        { provide: EventPublisher, useFactory: () => new EventPublisher(config.REDIS_URL) },
        adminQueuesProvider,
        ApiKeyGuard,
        CategoriesRepository,
        SourcesRepository,
      ],
    };
  }
}

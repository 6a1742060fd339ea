import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { QueueName, redisConnection } from '@ttt/contracts';
import { DbModule } from '@ttt/db';
import { ObservabilityModule } from '@ttt/observability';
import { type Config, SCRAPER_CONFIG } from './config.js';
import { ImportProcessor } from './import/import.processor.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'scraper', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: 3 * config.IMPORT_CONCURRENCY + 1 }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QueueName.import }),
      ],
      providers: [{ provide: SCRAPER_CONFIG, useValue: config }, ImportProcessor],
    };
  }
}

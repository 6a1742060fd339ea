import { BullModule } from '@nestjs/bullmq';
import { artifactStoreProvider } from '@ttt/artifacts';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventPublisher, QueueName, redisConnection } from '@ttt/contracts';
import { DbModule } from '@ttt/db';
import { ObservabilityModule } from '@ttt/observability';
import { type Config, TRAINER_CONFIG } from './config.js';
import { TrainProcessor } from './train/train.processor.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'trainer', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: 2 }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QueueName.train }),
      ],
      providers: [
        { provide: TRAINER_CONFIG, useValue: config },
        { provide: EventPublisher, useFactory: () => new EventPublisher(config.REDIS_URL) },
        artifactStoreProvider(config),
        TrainProcessor,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@ttt/observability';
import type { Config } from './config.js';

// Health, readiness and metrics only: this service's work arrives with its own feature.
@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [ObservabilityModule.forRoot({ service: 'dataset-builder', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL })],
    };
  }
}

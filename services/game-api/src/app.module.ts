import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ObservabilityModule } from '@ttt/observability';
import { AdminModule } from './admin/admin.module.js';
import { GameModule } from './game/game.module.js';
import type { Config } from './config.js';
import { DatabaseUnavailableFilter } from './database-unavailable.filter.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'game-api', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        AdminModule.forRoot(config),
        GameModule.forRoot(config),
      ],
      providers: [{ provide: APP_FILTER, useClass: DatabaseUnavailableFilter }],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DbModule } from '@ttt/db';
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
        // The one Postgres pool of the process, for the admin API and the game alike.
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE }),
        AdminModule.forRoot(config),
        GameModule.forRoot(config),
      ],
      providers: [{ provide: APP_FILTER, useClass: DatabaseUnavailableFilter }],
    };
  }
}

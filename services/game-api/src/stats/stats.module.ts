import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller.js';
import { StatsRepository } from './stats.repository.js';
import { DEFAULT_STATS_CACHE, STATS_CACHE_OPTIONS, StatsService } from './stats.service.js';

/**
 * GET /api/stats over the stats_* views. Reads PG_POOL from the global DbModule, which the
 * application registers once (DbModule.forRoot); this module does not register it again.
 */
@Module({
  controllers: [StatsController],
  providers: [StatsRepository, StatsService, { provide: STATS_CACHE_OPTIONS, useValue: DEFAULT_STATS_CACHE }],
})
export class StatsModule {}

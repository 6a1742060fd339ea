import { Controller, Get, Inject } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { RawResponse } from '../http/raw-response.decorator.js';
import type { Stats } from '@ttt/contracts';
import { serviceUnavailable } from '../service-unavailable.js';
import { StatsService } from './stats.service.js';

const RETRY_AFTER_S = 5;

@Controller('api/stats')
export class StatsController {
  constructor(@Inject(StatsService) private readonly stats: StatsService) {}

  /** Accuracy per edition, fool rate per model version, and both per day (docs/game-api.md). */
  @Get()
  async get(@RawResponse() res: ServerResponse): Promise<Stats> {
    try {
      return await this.stats.get();
    } catch {
      // Logged by the service; a database that cannot answer is worth a retry, not a 500.
      throw serviceUnavailable(res, RETRY_AFTER_S, 'Statistics cannot be read from the database right now; try again in a few seconds.');
    }
  }
}

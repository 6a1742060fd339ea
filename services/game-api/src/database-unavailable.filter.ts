import { type ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnavailable } from '@ttt/db';
import type { Response } from 'express';
import { serviceUnavailable } from './service-unavailable.js';

const RETRY_AFTER_S = 2;

/**
 * Postgres down or restarting is a 503 with Retry-After, saying so, for players and operators
 * alike; clients retry instead of showing a bare 500. Everything else goes to Nest's handler.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DatabaseUnavailableFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof HttpException || !isDatabaseUnavailable(exception) || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    this.logger.warn(`database unavailable: ${(exception as Error).message}`);
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const error = serviceUnavailable(res, RETRY_AFTER_S, 'the database is unavailable; try again in a moment');
    res.status(503).json(error.getResponse());
  }
}

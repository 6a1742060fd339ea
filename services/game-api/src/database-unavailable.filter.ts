import { type ArgumentsHost, Catch, HttpException, Logger, ServiceUnavailableException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnavailable } from '@ttt/db';

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
    const res: unknown = host.switchToHttp().getResponse();
    const http = this.httpAdapterHost!.httpAdapter;
    if (http.isHeadersSent(res)) return;
    http.setHeader(res, 'Retry-After', String(RETRY_AFTER_S));
    http.reply(res, new ServiceUnavailableException('the database is unavailable; try again in a moment').getResponse(), 503);
  }
}

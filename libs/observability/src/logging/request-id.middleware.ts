import { Logger } from '@nestjs/common';
import { acceptRequestId, REQUEST_ID_HEADER, runWithRequestId } from '@ttt/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';

const logger = new Logger('http');

// Slower than this, a request is worth a line at the default level; the rest go to debug.
const SLOW_MS = 1_000;

/**
 * Gives every request an id (the caller's X-Request-Id when it is a plain token, else a new
 * one), answers with it, and runs the request inside it, so every log line, outgoing call and
 * queued job on its behalf carries it. One line per request: errors and slow ones at the
 * default level, the rest at debug.
 */
export function requestIdMiddleware(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
  const id = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, id);
  const started = performance.now();
  runWithRequestId(id, () => {
    res.once('finish', () => {
      const ms = Math.round(performance.now() - started);
      const line = { method: req.method, path: (req.originalUrl ?? req.url ?? '').split('?')[0], status: res.statusCode, ms };
      if (res.statusCode >= 500) logger.error(line);
      else if (ms >= SLOW_MS) logger.warn(line);
      else logger.debug(line);
    });
    next();
  });
}

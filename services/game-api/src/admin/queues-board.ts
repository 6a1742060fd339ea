import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { AdminQueues } from './admin-queues.js';
import type { AdminKeys } from './admin-keys.js';

export const QUEUES_BOARD_PATH = '/admin/queues';

/**
 * bull-board over every queue, behind the admin keys. A browser cannot send a bearer token,
 * so the board also takes the key as the password of HTTP Basic auth (any user name): the
 * browser asks once and sends it with every page, asset and action of the board.
 *
 * The board is read-only: its actions (add a job, edit a job's data, clean, retry) would skip
 * the payload checks the admin API applies, so changes go through /admin/jobs instead.
 *
 * The board is an Express app of its own, mounted as middleware: game-api itself runs on
 * Fastify, and middleware there gets Node's plain request and response, which an Express app
 * takes as a Node server would give them.
 */
export function queuesBoard(queues: AdminQueues, keys: AdminKeys): RequestHandler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: [...queues.values()].map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })), serverAdapter: adapter });
  const board = express();
  board.disable('x-powered-by');
  board.use(boardAuth(keys), errorsWithMessage, adapter.getRouter() as RequestHandler);
  // The board routes on the path below its base; the original URL has it whatever the adapter
  // made of req.url. What the board does not answer is answered here, never passed on: it may
  // have read the body already, and the app would then wait for a body that never comes.
  return (req, res) => {
    req.url = req.originalUrl.slice(QUEUES_BOARD_PATH.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    board(req, res, (failure?: unknown) => {
      const error = failure as { status?: number; statusCode?: number; message?: string } | undefined;
      const status = error ? (error.status ?? error.statusCode ?? 500) : 404;
      const message = !error ? `Cannot ${req.method} ${req.originalUrl.split('?')[0]}` : status < 500 && error.message ? error.message : 'the queues board failed';
      res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
    });
  };
}

function boardAuth(keys: AdminKeys): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = presentedKey(req.headers.authorization);
    if (keys.configured && key !== null && keys.matches(key)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="admin queues", charset="UTF-8"');
    res.status(401).json({
      statusCode: 401,
      message: !keys.configured
        ? 'the admin API has no keys configured (set ADMIN_API_KEYS)'
        : key === null
          ? 'missing admin API key: send Authorization: Bearer <key>, or the key as the Basic auth password'
          : 'invalid admin API key',
    });
  };
}

function presentedKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(colon + 1);
}

/** bull-board answers errors as `{error}`; every API of ours answers `{statusCode, error, message}`. */
function errorsWithMessage(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode >= 400 && body !== null && typeof body === 'object' && !('message' in body)) {
      const detail = (body as { error?: unknown }).error;
      return json({ statusCode: res.statusCode, error: STATUS_CODES[res.statusCode] ?? 'Error', message: typeof detail === 'string' ? detail : 'request refused' });
    }
    return json(body);
  };
  next();
}

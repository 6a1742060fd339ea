import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AdminQueues } from './admin-queues.js';
import type { AdminKeys } from './admin-keys.js';

export const QUEUES_BOARD_PATH = '/admin/queues';

/**
 * bull-board over every queue, behind the admin keys. A browser cannot send a bearer token,
 * so the board also takes the key as the password of HTTP Basic auth (any user name): the
 * browser asks once and sends it with every page, asset and action of the board.
 */
export function queuesBoard(queues: AdminQueues, keys: AdminKeys): RequestHandler[] {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: [...queues.values()].map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
  return [boardAuth(keys), adapter.getRouter() as RequestHandler];
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

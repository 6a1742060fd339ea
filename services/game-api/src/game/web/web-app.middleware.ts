import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

const API_PREFIXES = ['/api', '/admin', '/health', '/metrics'];

/**
 * Serves the built web app: hashed assets cached for a year, and index.html (never cached, so a
 * deploy is picked up at once) for the app's own paths, which the browser routes itself.
 */
export function webAppMiddleware(dir?: string): (req: Request, res: Response, next: NextFunction) => void {
  const root = resolve(dir ?? fileURLToPath(new URL('../../../../../web/dist/', import.meta.url)));
  const index = join(root, 'index.html');
  const built = existsSync(index);
  if (!built) new Logger('WebApp').warn(`no web app at ${root}: build it with "npm run build -w web"`);
  // Vite names what it writes under assets/ by content hash: those never change. Other files
  // (the favicon, index.html itself) may change with any deploy.
  const hashed = express.static(root, { index: false, maxAge: '365d', immutable: true, fallthrough: true });
  const plain = express.static(root, { index: false, maxAge: 0, fallthrough: true });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // originalUrl: Nest mounts middleware on a route, which rewrites req.path.
    const path = req.originalUrl.split('?')[0]!;
    if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return next();
    if (!built) {
      res.status(503).type('text/plain').send('The web app is not built yet: run "npm run build -w web".');
      return;
    }
    if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
      req.url = path;
      return path.startsWith('/assets/') ? hashed(req, res, next) : plain(req, res, next);
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
}

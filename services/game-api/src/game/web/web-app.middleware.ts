import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import serveStatic from 'serve-static';

const API_PREFIXES = ['/api', '/admin', '/health', '/metrics'];

type Middleware = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => void;

/**
 * Serves the built web app: hashed assets cached for a year, and index.html (never cached, so a
 * deploy is picked up at once) for the app's own paths, which the browser routes itself.
 * Works on Node's own request and response, as middleware runs under any HTTP adapter.
 */
export function webAppMiddleware(dir?: string): Middleware {
  const root = resolve(dir ?? fileURLToPath(new URL('../../../../../web/dist/', import.meta.url)));
  const built = existsSync(join(root, 'index.html'));
  if (!built) new Logger('WebApp').warn(`no web app at ${root}: build it with "npm run build -w web"`);
  // Vite names what it writes under assets/ by content hash: those never change. Other files
  // (the favicon, index.html itself) may change with any deploy.
  const hashed = serveStatic(root, { index: false, maxAge: '365d', immutable: true, fallthrough: true });
  const plain = serveStatic(root, { index: false, maxAge: 0, fallthrough: true });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // originalUrl: middleware mounted on a route sees a rewritten req.url.
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0]!;
    if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return next();
    if (!built) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The web app is not built yet: run "npm run build -w web".');
      return;
    }
    if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
      req.url = path;
      return path.startsWith('/assets/') ? hashed(req, res, next) : plain(req, res, next);
    }
    // Set before serving: serve-static keeps a Cache-Control that is already there.
    res.setHeader('Cache-Control', 'no-cache');
    req.url = '/index.html';
    plain(req, res, next);
  };
}

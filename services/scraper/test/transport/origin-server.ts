import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface OriginServer {
  url: string;
  /** Requests being answered right now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  requests: Array<{ path: string; viaProxy: string | undefined }>;
  close(): Promise<void>;
}

/** The site the scraper talks to: answers JSON after delayMs, counting how many requests overlap. */
export async function startOriginServer(
  delayMs = 0,
  handler?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<OriginServer> {
  const sockets = new Set<Socket>();
  const origin: OriginServer = { url: '', inFlight: 0, maxInFlight: 0, requests: [], close: async () => {} };
  const server = createServer((req, res) => {
    origin.requests.push({ path: req.url ?? '', viaProxy: req.headers['x-via-proxy'] as string | undefined });
    origin.inFlight++;
    origin.maxInFlight = Math.max(origin.maxInFlight, origin.inFlight);
    setTimeout(() => {
      origin.inFlight--;
      if (handler) return handler(req, res);
      res.writeHead(200, { 'content-type': 'application/json', 'ratelimit-remaining': '99', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ ok: true, path: req.url, userAgent: req.headers['user-agent'] }));
    }, delayMs);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return origin;
}

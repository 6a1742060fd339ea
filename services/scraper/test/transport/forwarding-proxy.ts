import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ProxyMode = 'forward' | 'cloudflare' | 'drop';

export interface SeenRequest {
  url: string;
  proxyAuthorization: string | undefined;
  scrapoxyName: string | undefined;
}

export interface ForwardingProxy {
  /** http://user:pass@127.0.0.1:port */
  url: string;
  /** The proxy's id as the pool names it (no password). */
  id: string;
  mode: ProxyMode;
  seen: SeenRequest[];
  close(): Promise<void>;
}

const CLOUDFLARE_PAGE = `<!DOCTYPE html>
<html lang="en-US"><head><title>Attention Required! | Cloudflare</title></head>
<body><div id="cf-wrapper"><h1>Sorry, you have been blocked</h1>
<p>You are unable to access this site.</p><span>Cloudflare Ray ID: 8a1b2c3d4e5f6789</span></div></body></html>`;

/**
 * A tiny HTTP proxy for absolute-form requests (what a client sends a proxy for an http:// URL).
 * It forwards, answers as Cloudflare does when it blocks an IP, or drops the connection.
 */
export async function startForwardingProxy(name: string): Promise<ForwardingProxy> {
  const sockets = new Set<Socket>();
  const proxy: ForwardingProxy = { url: '', id: '', mode: 'forward', seen: [], close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    proxy.seen.push({
      url: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
      scrapoxyName: req.headers['x-scrapoxy-proxyname'] as string | undefined,
    });
    if (proxy.mode === 'drop') {
      req.socket.destroy();
      return;
    }
    if (proxy.mode === 'cloudflare') {
      res.writeHead(403, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f6789-FRA' });
      res.end(CLOUDFLARE_PAGE);
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...headers, 'x-via-proxy': name } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://${name}:secret@127.0.0.1:${port}`;
  proxy.id = `http://${name}@127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

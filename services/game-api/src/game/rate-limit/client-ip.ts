import type { Request } from 'express';

/**
 * The client's address: the socket's peer, or with `hops` trusted proxies in front, the
 * X-Forwarded-For entry they appended for it (entries further left are the client's own claim).
 */
export function clientIp(req: Request, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - hops] ?? chain[0] ?? peer;
}

import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's peer, or with `hops` trusted proxies in front, the
 * X-Forwarded-For entry they appended for it. Entries further left are the client's own claim,
 * so a chain too short (a request that bypassed the proxies) or an entry that is not an address
 * falls back to the peer.
 */
export function clientIp(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const entry = chain[chain.length - hops];
  return entry && isIP(entry) ? entry : peer;
}

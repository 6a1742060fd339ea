import type { IncomingMessage, ServerResponse } from 'node:http';

/** Node's own request or response behind what the HTTP adapter hands out (Fastify wraps it as `.raw`). */
export function nodeHttp<T extends IncomingMessage | ServerResponse>(value: T | { raw: T }): T {
  return 'raw' in value ? value.raw : value;
}

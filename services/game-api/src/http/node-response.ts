import type { ServerResponse } from 'node:http';

/** Node's own response behind what the HTTP adapter hands out (Fastify wraps it as `.raw`). */
export function nodeResponse(response: ServerResponse | { raw: ServerResponse }): ServerResponse {
  return 'raw' in response ? response.raw : response;
}

import autocannon from 'autocannon';

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  errors: number;
}

const PLAYERS = 256;

/**
 * Closed-loop load: each connection plays round after round (deal, then guess) as its own
 * player, or asks for /health. A guess always follows its own round on the same connection.
 */
export async function runLoad(options: { url: string; connections: number; duration: number; kind: 'health' | 'pairs' }): Promise<LoadFigures> {
  const cookies = await Promise.all(
    Array.from({ length: PLAYERS }, async () => (await fetch(`${options.url}/api/me`)).headers.get('set-cookie')!.split(';')[0]!),
  );
  let nextPlayer = 0;
  // autocannon keeps one context object per connection: its player and its current round.
  type Context = { cookie?: string; round?: string };
  const json = { 'content-type': 'application/json' };
  const requests: autocannon.Request[] =
    options.kind === 'health'
      ? [{ method: 'GET', path: '/health' }]
      : [
          {
            method: 'POST',
            path: '/api/rounds',
            body: '{"category":"vc"}',
            setupRequest: (req, ctx) => {
              const context = ctx as Context;
              context.cookie ??= cookies[nextPlayer++ % PLAYERS];
              return { ...req, headers: { ...json, cookie: context.cookie! } };
            },
            onResponse: (_status, body, ctx) => {
              (ctx as Context).round = (JSON.parse(body) as { id: string }).id;
            },
          },
          {
            method: 'POST',
            body: '{"guess":"human"}',
            setupRequest: (req, ctx) => ({
              ...req,
              path: `/api/rounds/${(ctx as Context).round}/guess`,
              headers: { ...json, cookie: (ctx as Context).cookie! },
            }),
          },
        ];
  const result = await autocannon({ url: options.url, connections: options.connections, duration: options.duration, requests });
  return {
    requestsPerSecond: result.requests.total / options.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

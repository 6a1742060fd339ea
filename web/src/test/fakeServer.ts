import { vi } from 'vitest';

export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
}

type Handler = FakeReply | ((call: FakeCall, nth: number) => FakeReply | Promise<FakeReply>);

/**
 * A stand-in for game-api: `routes` maps "METHOD /path" (query string included) to a reply
 * or a function of the call. Every call is recorded; an unknown route answers 404.
 */
export function fakeServer(routes: Record<string, Handler>) {
  const calls: FakeCall[] = [];
  const counts = new Map<string, number>();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname + url.search;
    const call: FakeCall = { method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const key = `${method} ${path}`;
    const nth = counts.get(key) ?? 0;
    counts.set(key, nth + 1);
    const handler = routes[key] ?? routes[`${method} ${url.pathname}`];
    const reply = handler === undefined ? { status: 404, body: { statusCode: 404, error: 'Not Found', message: `No route ${key}` } } : typeof handler === 'function' ? await handler(call, nth) : handler;
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, fetch, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path.startsWith(path)) };
}

export const me = { nickname: null, score: 0, streak: 0, bestStreak: 0, roundsPlayed: 0 };

export const editions = {
  editions: [
    { slug: 'vc', name: 'Venture Capital', description: 'Founders and investors.' },
    { slug: 'covid', name: 'COVID-19', description: 'The pandemic years.' },
  ],
};

export const round = { id: 'r1', category: 'vc', text: 'Hiring is the job. Everything else is a detail.', expiresAt: '2026-11-29T08:10:00.000Z' };

export const humanAnswer = {
  correct: true,
  guess: 'human',
  truth: 'human',
  player: { score: 1, streak: 1, bestStreak: 1, roundsPlayed: 1 },
  reveal: {
    kind: 'human',
    author: { handle: 'paulg', name: 'Paul Graham' },
    url: 'https://x.com/paulg/status/1',
    likes: 1200,
    retweets: 80,
    tweetedAt: '2021-03-04T12:00:00.000Z',
  },
};

export const tokens = {
  model: 'gpt2-twitter-vc',
  tokens: [
    { text: 'Hiring', probability: 0.2, rank: 1 },
    { text: ' is', probability: 0.05, rank: 50 },
    { text: ' the', probability: 0.002, rank: 700 },
    { text: ' job', probability: 0.00001, rank: 4000 },
  ],
};

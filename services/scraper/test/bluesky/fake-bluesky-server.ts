import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { blueskyFixture } from './fixtures.js';

export interface FeedRequest {
  actor: string;
  cursor: string | null;
  limit: string | null;
  filter: string | null;
}

export interface FakeBlueskySwitches {
  /** Answer every request with this instead (429 carries RateLimit-* headers). */
  status: 429 | 500 | null;
  /** Wait this long before answering. */
  slowMs: number;
  /** Close the connection without an answer. */
  drop: boolean;
  /** The last page hands back the cursor it was asked with instead of none. */
  repeatCursor: boolean;
  /** Pages after page 1 come back empty, with a cursor. */
  emptyAfterFirst: boolean;
}

export interface FakeBluesky {
  baseUrl: string;
  switches: FakeBlueskySwitches;
  profileRequests: string[];
  feedRequests: FeedRequest[];
  /** Epoch seconds the 429's RateLimit-Reset names. */
  resetEpoch: number;
  /** Cursor → page number, for checking the walk. */
  cursors: string[];
  close(): Promise<void>;
}

interface FeedItem {
  post: { uri: string; cid: string; author: { did: string } };
}

/**
 * A local AppView: getProfile from the recorded profile, getAuthorFeed paged. Page 1 is the
 * recorded feed; later pages are the same posts under fresh record keys, the last without a cursor.
 */
export async function startFakeBluesky(pages = 3): Promise<FakeBluesky> {
  const profile = (JSON.parse(blueskyFixture('a_profile.body.json')) as { profiles: Array<{ did: string; handle: string }> }).profiles[0]!;
  const recorded = JSON.parse(blueskyFixture('f_autfeed.body.json')) as { feed: FeedItem[]; cursor: string };
  const cursors = [recorded.cursor, ...Array.from({ length: pages - 2 }, (_, i) => `page-${i + 3}`)];
  const pageBody = (n: number): { feed: FeedItem[]; cursor?: string } => {
    const feed =
      n === 1
        ? recorded.feed
        : recorded.feed.map((item) => {
            const copy = structuredClone(item);
            copy.post.uri = `${item.post.uri}p${n}`;
            copy.post.cid = `${item.post.cid}p${n}`;
            return copy;
          });
    return n < pages ? { feed, cursor: cursors[n - 1] } : { feed };
  };
  const known = (actor: string) => actor === profile.did || actor === profile.handle;

  const sockets = new Set<Socket>();
  const fake: FakeBluesky = {
    baseUrl: '',
    switches: { status: null, slowMs: 0, drop: false, repeatCursor: false, emptyAfterFirst: false },
    profileRequests: [],
    feedRequests: [],
    resetEpoch: Math.floor(Date.now() / 1000) + 300,
    cursors,
    close: async () => {},
  };
  let remaining = 3000;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'ratelimit-limit': '3000',
      'ratelimit-remaining': String(status === 429 ? 0 : --remaining),
      'ratelimit-reset': String(fake.resetEpoch),
      'ratelimit-policy': '3000;w=300',
    });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const actor = url.searchParams.get('actor') ?? '';
    if (url.pathname === '/xrpc/app.bsky.actor.getProfile') fake.profileRequests.push(actor);
    if (url.pathname === '/xrpc/app.bsky.feed.getAuthorFeed') {
      const p = url.searchParams;
      fake.feedRequests.push({ actor, cursor: p.get('cursor'), limit: p.get('limit'), filter: p.get('filter') });
    }
    setTimeout(() => {
      const s = fake.switches;
      if (s.drop) return req.socket.destroy();
      if (s.status === 429) return send(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
      if (s.status === 500) return send(res, 500, { error: 'InternalServerError', message: 'Internal Server Error' });
      if (url.pathname === '/xrpc/app.bsky.actor.getProfile') {
        return known(actor) ? send(res, 200, profile) : send(res, 400, { error: 'InvalidRequest', message: 'Profile not found' });
      }
      if (url.pathname === '/xrpc/app.bsky.feed.getAuthorFeed') {
        if (!known(actor)) return send(res, 400, { error: 'InvalidRequest', message: 'Profile not found' });
        const cursor = url.searchParams.get('cursor');
        const n = cursor === null ? 1 : cursors.indexOf(cursor) + 2;
        if (n < 1 || n > pages) return send(res, 400, { error: 'InvalidRequest', message: 'Malformed cursor' });
        if (s.emptyAfterFirst && n > 1) return send(res, 200, { feed: [], cursor: `empty-${n}` });
        const body = pageBody(n);
        if (s.repeatCursor && n === pages && cursor !== null) body.cursor = cursor;
        return send(res, 200, body);
      }
      send(res, 404, { error: 'MethodNotImplemented', message: 'Method Not Implemented' });
    }, fake.switches.slowMs);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeTimeline } from './fake-x-pages.js';
import { xFixtureText } from './x-fixtures.js';

export const FAKE_BEARER = 'fake-bearer-token';
// The query ids of the recordings; any other gets the empty 404 of a stale one.
export const FAKE_QUERY_IDS = { UserByScreenName: 'Gb-d6r0vxPOADdG62OEBpQ', UserTweets: 'eoJ5zbv51Z_KVl81v9PmLQ' };

export type FailKind =
  | '429' | 'error88' | 'error326' | 'error32' | 'error336' | 'empty404' | 'html403' | '503' | 'slow' | 'drop';

export interface FakeXOptions {
  /** UserTweets pages with tweets before the end; default 3. */
  pages?: number;
  /** How the timeline ends after them; default 'empty'. */
  end?: 'empty' | 'repeat';
  /** Requests per endpoint, identity and 15-minute window before 429; default 1000. */
  budget?: number;
  /** Handles answered with the recorded user (any case); others are "UserUnavailable". */
  handles?: string[];
  /** Length of a rate-limit window in seconds; default X's 15 minutes (shorter for time-compressed runs). */
  windowS?: number;
  /** Cookie accounts the server knows. */
  accounts?: { authToken: string; ct0: string }[];
}

export interface FakeRequest {
  /** When it was answered (ms since the epoch). */
  at: number;
  endpoint: string;
  cursor: string | null;
  status: number;
  headers: IncomingMessage['headers'];
}

const WINDOW_S = 15 * 60;
const json = (errors: { code: number; message: string }[]) => JSON.stringify({ errors });
const CLOUDFLARE_PAGE =
  '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>' +
  '<div id="cf-error-details"><h1>Sorry, you have been blocked</h1><span>Cloudflare Ray ID: 8f00</span></div></body></html>';

/**
 * A local X: the recorded GraphQL answers behind the live service's auth, paging, rate-limit
 * headers and failure modes, on a free port. Counts every request so tests can tell what the
 * scraper asked for.
 */
export class FakeXServer {
  readonly requests: FakeRequest[] = [];
  readonly timeline: FakeTimeline;
  // A bug in the fake answers 500 (and fails the test loudly) instead of hanging the request.
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  private readonly guestTokens = new Set<string>();
  private readonly windows = new Map<string, { used: number; resetAt: number }>();
  private readonly failures: { kind: FailKind; delayMs: number }[] = [];
  private readonly userBody = xFixtureText('raw_user_by_login.json');
  baseUrl = '';

  constructor(private readonly options: FakeXOptions = {}) {
    this.timeline = new FakeTimeline(options.pages ?? 3, options.end ?? 'empty');
  }

  static async start(options: FakeXOptions = {}): Promise<FakeXServer> {
    const fake = new FakeXServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next n GraphQL requests fail this way ('slow' delays them by delayMs, then answers). */
  failNext(kind: FailKind, n = 1, delayMs = 0): void {
    for (let i = 0; i < n; i++) this.failures.push({ kind, delayMs });
  }

  /** Guest tokens issued so far stop working, as they do after a while on X. */
  expireGuestTokens(): void {
    this.guestTokens.clear();
  }

  count(endpoint: string): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  /** UserTweets requests that sent this cursor (null: the first page). */
  cursorCount(cursor: string | null): number {
    return this.requests.filter((r) => r.endpoint === 'UserTweets' && r.cursor === cursor).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: string, headers: Record<string, string> = {}, endpoint = '?', cursor: string | null = null) => {
      this.requests.push({ endpoint, cursor, status, headers: req.headers, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers }).end(body);
    };

    if (req.method === 'POST' && url.pathname === '/1.1/guest/activate.json') {
      if (req.headers.authorization !== `Bearer ${FAKE_BEARER}`) {
        return send(403, json([{ code: 32, message: 'Could not authenticate you.' }]), {}, 'activate');
      }
      const token = String(1_900_000_000_000_000_000n + BigInt(this.guestTokens.size + this.requests.length));
      this.guestTokens.add(token);
      return send(200, JSON.stringify({ guest_token: token }), {}, 'activate');
    }

    const m = /^\/i\/api\/graphql\/([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return send(404, '', {}, url.pathname);
    const [, queryId, endpoint] = m as unknown as [string, string, 'UserByScreenName' | 'UserTweets'];
    let variables: Record<string, unknown> = {};
    try {
      variables = JSON.parse(url.searchParams.get('variables') ?? '{}');
      JSON.parse(url.searchParams.get('features') ?? 'null');
    } catch {
      return send(400, json([{ code: 214, message: 'BadRequest: variables or features are not JSON' }]), {}, endpoint);
    }
    const cursor = typeof variables.cursor === 'string' ? variables.cursor : null;
    const reply = (status: number, body: string, headers: Record<string, string> = {}) =>
      send(status, body, headers, endpoint, cursor);

    const failure = this.failures.shift();
    if (failure) {
      const reset = String(Math.floor(Date.now() / 1000) + (this.options.windowS ?? WINDOW_S));
      const limitHeaders = { 'x-rate-limit-limit': '50', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset };
      switch (failure.kind) {
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
          if (req.socket.destroyed) return;
          break;
        case 'drop':
          this.requests.push({ endpoint, cursor, status: 0, headers: req.headers, at: Date.now() });
          req.socket.destroy();
          return;
        case '429':
          return reply(429, 'Rate limit exceeded\n', { ...limitHeaders, 'content-type': 'text/plain' });
        case 'error88':
          return reply(200, json([{ code: 88, message: 'Rate limit exceeded.' }]), limitHeaders);
        case 'error326':
          return reply(403, json([{ code: 326, message: 'To protect our users from spam and other malicious activity, this account is temporarily locked. Please log in to https://twitter.com to unlock your account.' }]));
        case 'error32':
          return reply(401, json([{ code: 32, message: 'Could not authenticate you.' }]));
        case 'error336':
          return reply(400, json([{ code: 336, message: 'The following features cannot be null: responsive_web_graphql_timeline_navigation_enabled' }]));
        case 'empty404':
          return reply(404, '', { 'content-type': 'text/plain' });
        case 'html403':
          return reply(403, CLOUDFLARE_PAGE, { 'content-type': 'text/html; charset=UTF-8', 'cf-ray': '8f00c0ffee-AMS', server: 'cloudflare' });
        case '503':
          return reply(503, '<html><body>Over capacity</body></html>', { 'content-type': 'text/html' });
      }
    }

    if (queryId !== FAKE_QUERY_IDS[endpoint]) return reply(404, '', { 'content-type': 'text/plain' });
    const identity = this.authenticate(req);
    if ('status' in identity) return reply(identity.status, identity.body);

    // X counts each endpoint per account (or guest token) in 15-minute windows.
    const key = `${identity.id}:${endpoint}`;
    const now = Math.floor(Date.now() / 1000);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) this.windows.set(key, (window = { used: 0, resetAt: now + (this.options.windowS ?? WINDOW_S) }));
    const budget = this.options.budget ?? 1000;
    const limitHeaders = (remaining: number) => ({
      'x-rate-limit-limit': String(budget),
      'x-rate-limit-remaining': String(remaining),
      'x-rate-limit-reset': String(window!.resetAt),
    });
    if (window.used >= budget) return reply(429, 'Rate limit exceeded\n', { ...limitHeaders(0), 'content-type': 'text/plain' });
    window.used++;
    const headers = limitHeaders(budget - window.used);

    if (endpoint === 'UserByScreenName') {
      const handle = String(variables.screen_name ?? '').toLowerCase();
      const known = (this.options.handles ?? ['xdevelopers']).some((h) => h.toLowerCase() === handle);
      if (known) return reply(200, this.userBody, headers);
      return reply(200, JSON.stringify({ data: { user: { result: { __typename: 'UserUnavailable', reason: 'Suspended' } } } }), headers);
    }
    return reply(200, this.timeline.body(cursor), headers);
  }

  /** Who a request is, checked as X does; an error answer when it is nobody. */
  private authenticate(req: IncomingMessage): { id: string } | { status: number; body: string } {
    const refuse = (status: number, code: number, message: string) => ({ status, body: json([{ code, message }]) });
    if (req.headers.authorization !== `Bearer ${FAKE_BEARER}`) return refuse(401, 32, 'Could not authenticate you.');
    const guest = req.headers['x-guest-token'];
    if (typeof guest === 'string') {
      return this.guestTokens.has(guest) ? { id: `guest:${guest}` } : refuse(403, 239, 'Bad guest token.');
    }
    const cookies = new Map(
      (req.headers.cookie ?? '').split(';').map((c) => {
        const [k, ...v] = c.trim().split('=');
        return [k ?? '', v.join('=')] as const;
      }),
    );
    const account = (this.options.accounts ?? []).find((a) => a.authToken === cookies.get('auth_token'));
    if (!account || cookies.get('ct0') !== account.ct0) return refuse(401, 32, 'Could not authenticate you.');
    if (req.headers['x-csrf-token'] !== account.ct0) {
      return refuse(403, 353, 'This request requires a matching csrf cookie and header.');
    }
    return { id: `cookie:${account.authToken}` };
  }
}

export const newAccount = () => ({ authToken: randomUUID().replace(/-/g, ''), ct0: randomUUID().replace(/-/g, '') });

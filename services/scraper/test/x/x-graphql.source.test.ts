import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sources/source-errors.js';
import type { SourceAccount } from '../../src/sources/timeline-source.js';
import type { XAuth, XConfig } from '../../src/sources/x/x-config.js';
import { XGraphqlSource } from '../../src/sources/x/x-graphql.source.js';
import { FAKE_BEARER, FAKE_QUERY_IDS, FakeXServer, newAccount, type FailKind, type FakeXOptions } from './fake-x-server.js';
import { FIRST_BOTTOM_CURSOR } from './fake-x-pages.js';
import { FetchTransport } from './fetch-transport.js';

const XDEV: SourceAccount = { platformUserId: '2244994945', handle: 'XDevelopers', name: 'Developers' };

let fake: FakeXServer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(options: FakeXOptions = {}, over: Partial<XConfig> = {}, auth: XAuth = { mode: 'guest' }) {
  fake = await FakeXServer.start(options);
  const transport = new FetchTransport();
  const source = new XGraphqlSource(transport, {
    bearerToken: FAKE_BEARER,
    queryIds: FAKE_QUERY_IDS,
    features: { responsive_web_graphql_timeline_navigation_enabled: true },
    fieldToggles: { withArticlePlainText: false },
    baseUrl: fake.baseUrl,
    auth,
    ...over,
  });
  return { fake, source, transport };
}

/** Pages until the source says the timeline has ended; the tweets of each page. */
async function readAll(source: XGraphqlSource, account = XDEV) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await source.fetchPage(account, cursor);
    pages.push(page.tweets.map((t) => t.platformId));
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

const failure = async (p: Promise<unknown>): Promise<SourceError> => {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
};

describe('XGraphqlSource paging', () => {
  it('reads every page to the end once, stopping on the empty page', async () => {
    const { fake, source } = await setup({ pages: 4, end: 'empty' });
    const pages = await readAll(source);
    expect(pages).toHaveLength(5);
    for (let n = 1; n <= 4; n++) expect(pages[n - 1]).toEqual(fake.timeline.tweetIdsOf(n));
    expect(pages[4]).toEqual([]);
    expect(new Set(pages.flat()).size).toBe(pages.flat().length);
    expect(fake.cursorCount(null)).toBe(1);
    for (let n = 2; n <= 5; n++) expect(fake.cursorCount(`fake-cursor-${n}`)).toBe(1);
    expect(fake.count('UserTweets')).toBe(5);
  });

  it('stops when X hands back the cursor it was sent', async () => {
    const { fake, source } = await setup({ pages: 2, end: 'repeat' });
    const pages = await readAll(source);
    expect(pages).toHaveLength(3);
    expect(pages[2]).toEqual(fake.timeline.tweetIdsOf(3));
    expect(fake.count('UserTweets')).toBe(3);
    expect(fake.cursorCount('fake-cursor-3')).toBe(1);
  });

  it('sends the variables, features and field toggles the web client sends', async () => {
    const { source, transport } = await setup();
    await source.fetchPage(XDEV, FIRST_BOTTOM_CURSOR);
    const url = new URL(transport.sent.at(-1)!.url);
    expect(url.pathname).toBe(`/i/api/graphql/${FAKE_QUERY_IDS.UserTweets}/UserTweets`);
    expect(JSON.parse(url.searchParams.get('variables')!)).toEqual({
      userId: '2244994945', count: 40, includePromotedContent: false, withVoice: true,
      withQuickPromoteEligibilityTweetFields: true, cursor: FIRST_BOTTOM_CURSOR,
    });
    expect(JSON.parse(url.searchParams.get('features')!)).toEqual({ responsive_web_graphql_timeline_navigation_enabled: true });
    expect(JSON.parse(url.searchParams.get('fieldToggles')!)).toEqual({ withArticlePlainText: false });
  });

  it('keeps the rate-limit window of each endpoint for a scheduler', async () => {
    const { source } = await setup({ budget: 7 });
    expect(source.rateLimit('UserTweets')).toBeNull();
    await source.resolveAccount('XDevelopers');
    await source.fetchPage(XDEV, null);
    await source.fetchPage(XDEV, FIRST_BOTTOM_CURSOR);
    expect(source.rateLimit('UserByScreenName')).toMatchObject({ limit: 7, remaining: 6 });
    const limit = source.rateLimit('UserTweets')!;
    expect(limit).toMatchObject({ limit: 7, remaining: 5 });
    expect(limit.resetAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('reports rate_limited with the reset time once the window is spent', async () => {
    const { source } = await setup({ budget: 2 });
    await source.fetchPage(XDEV, null);
    await source.fetchPage(XDEV, FIRST_BOTTOM_CURSOR);
    const error = await failure(source.fetchPage(XDEV, 'fake-cursor-3'));
    expect(error.kind).toBe('rate_limited');
    expect(error.resetAt).toEqual(source.rateLimit('UserTweets')!.resetAt);
    expect(source.rateLimit('UserTweets')!.remaining).toBe(0);
  });
});

describe('XGraphqlSource accounts', () => {
  it('resolves a handle to the account', async () => {
    const { source } = await setup();
    expect(await source.resolveAccount('@xdevelopers')).toEqual(XDEV);
  });

  it('reports an unknown handle as not_found', async () => {
    const { source, fake } = await setup();
    expect((await failure(source.resolveAccount('nobody_here_123'))).kind).toBe('not_found');
    expect((await failure(source.resolveAccount('not a handle!'))).kind).toBe('not_found');
    expect(fake.count('UserByScreenName')).toBe(1);
  });
});

describe('XGraphqlSource auth', () => {
  it('activates one guest token and reuses it', async () => {
    const { fake, source } = await setup();
    await Promise.all([source.resolveAccount('XDevelopers'), source.fetchPage(XDEV, null)]);
    await source.fetchPage(XDEV, FIRST_BOTTOM_CURSOR);
    expect(fake.count('activate')).toBe(1);
    const tokens = new Set(fake.requests.filter((r) => r.endpoint !== 'activate').map((r) => r.headers['x-guest-token']));
    expect(tokens.size).toBe(1);
  });

  it('replaces a guest token X no longer accepts, once', async () => {
    const { fake, source } = await setup();
    await source.fetchPage(XDEV, null);
    fake.expireGuestTokens();
    expect((await source.fetchPage(XDEV, FIRST_BOTTOM_CURSOR)).tweets.length).toBeGreaterThan(0);
    expect(fake.count('activate')).toBe(2);
    // A refusal that a fresh token does not cure is reported, not retried forever.
    fake.failNext('error32', 2);
    expect((await failure(source.fetchPage(XDEV, null))).kind).toBe('auth_failed');
    expect(fake.count('activate')).toBe(3);
  });

  it('signs in with cookies and the matching csrf header', async () => {
    const account = newAccount();
    const { fake, source } = await setup({ accounts: [account] }, {}, { mode: 'cookie', ...account });
    expect((await source.fetchPage(XDEV, null)).tweets).toHaveLength(21);
    expect(fake.count('activate')).toBe(0);
    const sent = fake.requests.at(-1)!.headers;
    expect(sent['x-csrf-token']).toBe(account.ct0);
    expect(sent['x-twitter-auth-type']).toBe('OAuth2Session');
    expect(source.sessionKey).not.toContain(account.authToken);
  });

  it('reports auth_failed for a csrf token that does not match, or an unknown account', async () => {
    const account = newAccount();
    const { source } = await setup({ accounts: [account] }, {}, { mode: 'cookie', authToken: account.authToken, ct0: 'wrong' });
    expect((await failure(source.fetchPage(XDEV, null))).kind).toBe('auth_failed');
    await fake!.close();
    const other = await setup({ accounts: [account] }, {}, { mode: 'cookie', ...newAccount() });
    expect((await failure(other.source.fetchPage(XDEV, null))).kind).toBe('auth_failed');
  });

  it('sends every request of one account with the same proxy session key', async () => {
    const account = newAccount();
    const { source, transport } = await setup({ accounts: [account] }, {}, { mode: 'cookie', ...account });
    await source.resolveAccount('XDevelopers');
    await source.fetchPage(XDEV, null);
    expect(new Set(transport.sent.map((r) => r.sessionKey))).toEqual(new Set([source.sessionKey]));
  });
});

describe('XGraphqlSource failures', () => {
  const cases: [FailKind, string, RegExp][] = [
    ['429', 'rate_limited', /rate limited/],
    ['error88', 'rate_limited', /rate limited/],
    ['error326', 'account_locked', /locked/],
    ['error32', 'auth_failed', /authenticat/],
    ['error336', 'bad_request', /responsive_web_graphql_timeline_navigation_enabled/],
    ['empty404', 'bad_request', /query id/],
    ['html403', 'proxy_banned', /Cloudflare/],
    ['503', 'transient', /503/],
    ['drop', 'transient', /request failed/],
  ];
  it.each(cases)('classifies %s as %s', async (kind, expected, message) => {
    const account = newAccount();
    // Cookie auth, so an auth error is reported at once rather than answered with a new guest token.
    const { fake, source } = await setup({ accounts: [account] }, {}, { mode: 'cookie', ...account });
    fake.failNext(kind);
    const error = await failure(source.fetchPage(XDEV, null));
    expect(error.kind).toBe(expected);
    expect(error.message).toMatch(message);
    if (expected === 'rate_limited') {
      expect(error.resetAt!.getTime()).toBeGreaterThan(Date.now());
      // Until the reset the source refuses by itself: X is not asked again.
      const asked = fake.requests.length;
      expect((await failure(source.fetchPage(XDEV, null))).kind).toBe('rate_limited');
      expect(fake.requests.length).toBe(asked);
      return;
    }
    // The failure was one answer: the next request goes through.
    expect((await source.fetchPage(XDEV, null)).tweets).toHaveLength(21);
  });

  it('reports a slow answer past the timeout as transient', async () => {
    const { fake, source } = await setup({}, { timeoutMs: 200 });
    await source.resolveAccount('XDevelopers');
    fake.failNext('slow', 1, 1000);
    const error = await failure(source.fetchPage(XDEV, null));
    expect(error.kind).toBe('transient');
  });

  it('reports a stale query id as bad_request', async () => {
    const { source } = await setup({}, { queryIds: { ...FAKE_QUERY_IDS, UserTweets: 'stale-id' } });
    expect((await failure(source.fetchPage(XDEV, null))).kind).toBe('bad_request');
  });

  it('reports an unreachable server as transient', async () => {
    const { fake, source } = await setup();
    await fake.close();
    expect((await failure(source.fetchPage(XDEV, null))).kind).toBe('transient');
  });
});

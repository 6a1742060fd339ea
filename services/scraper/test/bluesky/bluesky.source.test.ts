import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueskySource } from '../../src/sources/bluesky/bluesky.source.js';
import { SourceError, type SourceErrorKind } from '../../src/sources/source-errors.js';
import type { SourceAccount } from '../../src/sources/timeline-source.js';
import { GotScrapingTransport } from '../../src/transport/got-scraping.transport.js';
import { RateWindow } from '../../src/transport/rate-window.js';
import { recordingLogger } from '../transport/recording-logger.js';
import { startFakeBluesky, type FakeBluesky } from './fake-bluesky-server.js';

const DID = 'did:plc:wpe35pganb6d4pg4ekmfy6u5';
const ACCOUNT: SourceAccount = { platformUserId: DID, handle: 'chriskenny.bsky.social', name: 'Chris Kenny' };

let fake: FakeBluesky;
let logger: ReturnType<typeof recordingLogger>;
beforeEach(async () => {
  fake = await startFakeBluesky(3);
  logger = recordingLogger();
});
afterEach(() => fake.close());

function source(options: { rateWindow?: RateWindow; timeoutMs?: number } = {}) {
  const transport = new GotScrapingTransport({ logger, timeoutMs: options.timeoutMs ?? 5_000 });
  return new BlueskySource({ transport, baseUrl: fake.baseUrl, rateWindow: options.rateWindow, logger });
}

async function kindOf(promise: Promise<unknown>): Promise<{ kind: SourceErrorKind; error: SourceError }> {
  const error = await promise.then(
    () => {
      throw new Error('expected a SourceError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return { kind: (error as SourceError).kind, error: error as SourceError };
}

async function walk(s: BlueskySource): Promise<{ posts: number; pages: number }> {
  let cursor: string | null = null;
  let posts = 0;
  let pages = 0;
  do {
    const page = await s.fetchPage(ACCOUNT, cursor);
    posts += page.tweets.length;
    pages++;
    cursor = page.nextCursor;
    if (pages > 10) throw new Error('paging does not stop');
  } while (cursor !== null);
  return { posts, pages };
}

describe('BlueskySource against a local AppView, through GotScrapingTransport', () => {
  it('resolves a handle to its DID and display name', async () => {
    expect(await source().resolveAccount('@chriskenny.bsky.social')).toEqual(ACCOUNT);
    expect(fake.profileRequests).toEqual(['chriskenny.bsky.social']);
  });

  it('says not_found for an actor the AppView does not know', async () => {
    const { kind, error } = await kindOf(source().resolveAccount('nobody.bsky.social'));
    expect(kind).toBe('not_found');
    expect(error.status).toBe(400);
    expect(error.message).toContain('Profile not found');
  });

  it('pages to the end, asking for each cursor once', async () => {
    expect(await walk(source())).toEqual({ posts: 150, pages: 3 });
    expect(fake.feedRequests.map((r) => r.cursor)).toEqual([null, ...fake.cursors]);
    expect(fake.feedRequests.every((r) => r.actor === DID && r.limit === '100' && r.filter === 'posts_with_replies')).toBe(true);
    expect(logger.messages()).toContain('bluesky timeline ends');
  });

  it('stops on a repeated cursor', async () => {
    fake.switches.repeatCursor = true;
    expect(await walk(source())).toEqual({ posts: 150, pages: 3 });
    expect(fake.feedRequests).toHaveLength(3);
    expect(logger.entries.find((e) => e.entry.msg === 'bluesky timeline ends')?.entry.why).toBe('repeated cursor');
  });

  it('stops on an empty page even when it carries a cursor', async () => {
    fake.switches.emptyAfterFirst = true;
    expect(await walk(source())).toEqual({ posts: 50, pages: 2 });
    expect(logger.entries.find((e) => e.entry.msg === 'bluesky timeline ends')?.entry.why).toBe('empty page');
  });

  it('says rate_limited with the reset time on a 429, and then holds requests until the reset', async () => {
    const rateWindow = new RateWindow({ logger });
    const s = source({ rateWindow });
    fake.switches.status = 429;
    const { kind, error } = await kindOf(s.fetchPage(ACCOUNT, null));
    expect(kind).toBe('rate_limited');
    expect(error.resetAt).toEqual(new Date(fake.resetEpoch * 1000));
    fake.switches.status = null;
    const held = await kindOf(s.fetchPage(ACCOUNT, null));
    expect(held.kind).toBe('rate_limited');
    expect(held.error.resetAt).toEqual(new Date(fake.resetEpoch * 1000));
    expect(fake.feedRequests).toHaveLength(1);
  });

  it('says transient on a 5xx, a dropped connection and a timeout', async () => {
    fake.switches.status = 500;
    expect((await kindOf(source().fetchPage(ACCOUNT, null))).kind).toBe('transient');
    fake.switches.status = null;
    fake.switches.drop = true;
    expect((await kindOf(source().fetchPage(ACCOUNT, null))).kind).toBe('transient');
    fake.switches.drop = false;
    fake.switches.slowMs = 1_000;
    expect((await kindOf(source({ timeoutMs: 200 }).fetchPage(ACCOUNT, null))).kind).toBe('transient');
  });

  it('says not_found when the feed of an unknown DID is asked for', async () => {
    const gone = { ...ACCOUNT, platformUserId: 'did:plc:doesnotexist' };
    expect((await kindOf(source().fetchPage(gone, null))).kind).toBe('not_found');
  });
});

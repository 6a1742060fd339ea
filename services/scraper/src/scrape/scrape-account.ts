import { SourceError } from '../sources/source-errors.js';
import type { TimelineSource } from '../sources/timeline-source.js';
import type { Clock } from '../transport/clock.js';
import type { ScrapeMetrics } from './scrape-metrics.js';
import type { AccountState, ScrapeRepository } from './scrape.repository.js';

export interface ScrapeAccountDeps {
  repo: ScrapeRepository;
  sources: Partial<Record<'x' | 'bluesky', TimelineSource>>;
  clock: Clock;
  /** A rate limit that resets sooner than this is waited out; a later one yields the worker. */
  maxWaitMs: number;
  /** A walk stops after this many pages even without reaching the stop point. */
  maxPages: number;
  /** Attempts of one page through transient failures and bans before the job fails. */
  pageAttempts: number;
  log: (entry: Record<string, unknown>) => void;
  metrics?: ScrapeMetrics;
}

export interface ScrapeAccountResult {
  sourceAccountId: number;
  handle: string;
  outcome: 'completed' | 'not_found' | 'skipped';
  pages: number;
  tweetsSeen: number;
  inserted: number;
  resumedFromCursor: boolean;
}

/** The account's rate limit resets too late to wait in place: the job should step aside until then. */
export class RateLimitedYield extends Error {
  constructor(readonly resetAt: Date) {
    super(`rate limited until ${resetAt.toISOString()}`);
  }
}

/**
 * One account's timeline, newest first, page by page, each page stored together with the
 * cursor after it. A walk resumes at its stored cursor; it ends at the timeline's end, at the
 * previous walk's newest tweet (incremental), or after maxPages.
 */
export async function scrapeAccount(
  deps: ScrapeAccountDeps,
  sourceAccountId: number,
  jobId: string | undefined,
  onProgress: (p: { pages: number; tweetsSeen: number; inserted: number }) => void = () => {},
): Promise<ScrapeAccountResult> {
  const { repo, clock } = deps;
  const initial = await repo.account(sourceAccountId);
  if (!initial) throw new SourceError('not_found', `source account ${sourceAccountId} does not exist`);
  const result: ScrapeAccountResult = { sourceAccountId, handle: initial.handle, outcome: 'skipped', pages: 0, tweetsSeen: 0, inserted: 0, resumedFromCursor: initial.lastCursor !== null };
  if (initial.status !== 'active') return result;
  const source = deps.sources[initial.platform];
  if (!source) throw new Error(initial.platform === 'x' ? 'X is not configured in this scraper: set X_BEARER_TOKEN (and X_QUERY_IDS / X_FEATURES from X’s current web client)' : `no ${initial.platform} source is configured in this scraper`);

  let account: AccountState = initial;
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      // Spent windows are waited out (or yielded) before asking, not after a 429.
      const budget = what === 'page' ? source.timelineBudget?.() : null;
      if (budget && budget.remaining <= 0 && budget.resetAt.getTime() > clock.now()) {
        const wait = budget.resetAt.getTime() - clock.now();
        deps.log({ msg: 'window spent', handle: account.handle, what, waitMs: wait, decision: wait <= deps.maxWaitMs ? 'wait' : 'yield' });
        deps.metrics?.rateLimitDecisions.inc({ platform: account.platform, decision: wait <= deps.maxWaitMs ? 'wait' : 'yield' });
        if (wait > deps.maxWaitMs) throw new RateLimitedYield(budget.resetAt);
        await clock.sleep(wait);
      }
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        deps.metrics?.failures.inc({ platform: account.platform, kind: error.kind });
        if (error.kind === 'rate_limited') {
          const wait = (error.resetAt?.getTime() ?? clock.now() + 60_000) - clock.now();
          deps.log({ msg: 'rate limited', handle: account.handle, what, waitMs: wait, decision: wait <= deps.maxWaitMs ? 'wait' : 'yield' });
          deps.metrics?.rateLimitDecisions.inc({ platform: account.platform, decision: wait <= deps.maxWaitMs ? 'wait' : 'yield' });
          if (wait > deps.maxWaitMs) throw new RateLimitedYield(new Date(clock.now() + wait));
          await clock.sleep(Math.max(0, wait));
          continue;
        }
        if ((error.kind === 'transient' || error.kind === 'proxy_banned') && tries < deps.pageAttempts) {
          deps.log({ msg: 'retrying', handle: account.handle, what, kind: error.kind, error: error.message, attempt: tries });
          await clock.sleep(Math.min(30_000, 500 * 2 ** (tries - 1)));
          continue;
        }
        throw error;
      }
    }
  };

  if (!account.platformUserId) {
    try {
      const resolved = await attempt('resolve', () => source.resolveAccount(account.handle));
      await repo.saveResolved(account.id, resolved.platformUserId);
      account = { ...account, platformUserId: resolved.platformUserId };
    } catch (error) {
      if (error instanceof SourceError && error.kind === 'not_found') {
        await repo.markStatus(account.id, 'not_found', error.message);
        deps.log({ msg: 'account not found; disabled', handle: account.handle });
        return { ...result, outcome: 'not_found' };
      }
      throw error;
    }
  }

  const stopAt = account.newestTweetId ? await repo.tweetedAt(account.platform, account.newestTweetId) : null;
  const runId = await repo.startRun(account, jobId);
  let cursor = account.lastCursor;
  try {
    for (;;) {
      const page = await attempt('page', () =>
        source.fetchPage({ platformUserId: account.platformUserId!, handle: account.handle, name: null }, cursor),
      );
      const firstOfWalk = cursor === null;
      const newest = firstOfWalk ? newestOf(page.tweets) : null;
      const stored = await repo.storePage(account, runId, page.tweets, { nextCursor: page.nextCursor, walkNewestId: newest });
      result.pages++;
      result.tweetsSeen += page.tweets.length;
      result.inserted += stored.inserted;
      deps.metrics?.pages.inc({ platform: account.platform });
      deps.metrics?.tweetsInserted.inc({ platform: account.platform }, stored.inserted);
      onProgress({ pages: result.pages, tweetsSeen: result.tweetsSeen, inserted: result.inserted });
      // A pinned tweet can be old and sits on the first page, so one old tweet there is not the
      // stop point; two, or one on a later page, are.
      const old = stopAt ? page.tweets.filter((t) => t.tweetedAt.getTime() <= stopAt.getTime()).length : 0;
      const reachedKnown = old >= 2 || (old >= 1 && !firstOfWalk);
      if (!page.nextCursor || reachedKnown || result.pages >= deps.maxPages) {
        deps.log({ msg: 'walk ended', why: !page.nextCursor ? 'end of timeline' : reachedKnown ? 'reached known tweets' : 'page limit', ...result });
        await repo.completeWalk(account.id);
        break;
      }
      cursor = page.nextCursor;
    }
    await repo.finishRun(runId, 'completed');
    return { ...result, outcome: 'completed' };
  } catch (error) {
    await repo.finishRun(runId, 'failed', (error as Error).message).catch(() => {});
    await repo.recordError(account.id, (error as Error).message).catch(() => {});
    throw error;
  }
}

/** The newest tweet of a page by platform order (X ids grow with time; Bluesky's do not, so by date). */
function newestOf(tweets: { platformId: string; tweetedAt: Date }[]): string | null {
  let best: { platformId: string; tweetedAt: Date } | null = null;
  for (const t of tweets) if (!best || t.tweetedAt > best.tweetedAt) best = t;
  return best?.platformId ?? null;
}

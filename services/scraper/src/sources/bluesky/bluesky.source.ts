import { Logger, type LoggerService } from '@nestjs/common';
import type { HttpResponse, HttpTransport } from '../../transport/http-transport.js';
import type { RateWindow } from '../../transport/rate-window.js';
import { SourceError } from '../source-errors.js';
import type { SourceAccount, TimelinePage, TimelineSource } from '../timeline-source.js';
import type { BlueskyProfile } from './bluesky-records.js';
import { throwIfXrpcFailed } from './classify-xrpc-response.js';
import { parseAuthorFeed } from './parse-author-feed.js';

export const PUBLIC_APPVIEW = 'https://public.api.bsky.app';

export interface BlueskySourceOptions {
  transport: HttpTransport;
  /** The AppView to ask; the public one needs no account. */
  baseUrl?: string;
  /** Posts per page, 1–100 (the AppView's maximum). */
  pageSize?: number;
  /** Shared budget tracker; the public AppView limits per IP, so one key per endpoint. */
  rateWindow?: RateWindow;
  logger?: Pick<LoggerService, 'log' | 'warn'>;
}

/**
 * Bluesky timelines from the AppView's public XRPC: a handle resolves to its DID, then
 * getAuthorFeed pages back in time by cursor. Replies and reposts are kept (filter
 * posts_with_replies) and flagged; which to use is the dataset filters' call.
 */
export class BlueskySource implements TimelineSource {
  readonly platform = 'bluesky' as const;
  private readonly transport: HttpTransport;
  private readonly baseUrl: string;
  private readonly pageSize: number;
  private readonly rateWindow: RateWindow | null;
  private readonly logger: Pick<LoggerService, 'log' | 'warn'>;
  /** Cursors already handed out per account in the current walk, to stop on a cycle. */
  private readonly cursorsSeen = new Map<string, Set<string>>();

  constructor(options: BlueskySourceOptions) {
    this.transport = options.transport;
    this.baseUrl = (options.baseUrl ?? PUBLIC_APPVIEW).replace(/\/+$/, '');
    this.pageSize = Math.min(100, Math.max(1, options.pageSize ?? 100));
    this.rateWindow = options.rateWindow ?? null;
    this.logger = options.logger ?? new Logger(BlueskySource.name);
  }

  async resolveAccount(handle: string): Promise<SourceAccount> {
    const actor = handle.replace(/^@/, '').trim();
    const res = await this.get('app.bsky.actor.getProfile', { actor }, `bluesky:${actor}`);
    throwIfXrpcFailed(`getProfile ${actor}`, res);
    const profile = this.json(`getProfile ${actor}`, res) as Partial<BlueskyProfile>;
    if (typeof profile.did !== 'string' || typeof profile.handle !== 'string') {
      throw new SourceError('transient', `getProfile ${actor}: answer without did or handle`, null, res.status);
    }
    this.logger.log({ msg: 'bluesky account resolved', handle: profile.handle, did: profile.did });
    return { platformUserId: profile.did, handle: profile.handle, name: profile.displayName?.trim() || null };
  }

  async fetchPage(account: SourceAccount, cursor: string | null): Promise<TimelinePage> {
    const did = account.platformUserId;
    if (cursor === null) this.cursorsSeen.set(did, new Set());
    const seen = this.cursorsSeen.get(did) ?? new Set<string>();
    this.cursorsSeen.set(did, seen);
    if (cursor !== null) seen.add(cursor);

    const params: Record<string, string> = { actor: did, limit: String(this.pageSize), filter: 'posts_with_replies' };
    if (cursor !== null) params.cursor = cursor;
    const what = `getAuthorFeed ${account.handle}`;
    const res = await this.get('app.bsky.feed.getAuthorFeed', params, `bluesky:${did}`);
    throwIfXrpcFailed(what, res);
    let page;
    try {
      page = parseAuthorFeed(this.json(what, res));
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError('transient', `${what}: ${(err as Error).message}`, null, res.status);
    }
    if (page.skipped > 0) this.logger.warn({ msg: 'feed items without a usable post skipped', handle: account.handle, skipped: page.skipped });

    let nextCursor = page.cursor;
    let stop: string | null = null;
    if (page.tweets.length === 0 && page.skipped === 0) stop = 'empty page';
    else if (nextCursor === null) stop = 'no cursor';
    else if (seen.has(nextCursor)) stop = 'repeated cursor';
    if (stop) {
      nextCursor = null;
      this.cursorsSeen.delete(did);
      this.logger.log({ msg: 'bluesky timeline ends', handle: account.handle, why: stop, posts: page.tweets.length });
    }
    return { tweets: page.tweets, nextCursor };
  }

  private async get(method: string, params: Record<string, string>, sessionKey: string): Promise<HttpResponse> {
    // The public AppView limits per IP, not per account: one window per endpoint.
    const key = `bluesky:${method}`;
    const waitMs = this.rateWindow?.waitMs(key) ?? 0;
    if (waitMs > 0) {
      // Refused here rather than spent: the AppView would answer 429 anyway.
      throw new SourceError('rate_limited', `${method}: budget spent, window resets in ${waitMs} ms`, new Date(this.rateWindow!.get(key)?.resetAt ?? Date.now() + waitMs));
    }
    this.rateWindow?.consume(key);
    const url = `${this.baseUrl}/xrpc/${method}?${new URLSearchParams(params)}`;
    let res: HttpResponse;
    try {
      res = await this.transport.request({ method: 'GET', url, headers: { accept: 'application/json' }, sessionKey });
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError('transient', `${method}: ${(err as Error).message ?? String(err)}`);
    }
    this.rateWindow?.update(key, res.status, res.headers);
    return res;
  }

  private json(what: string, res: HttpResponse): unknown {
    try {
      return JSON.parse(res.body);
    } catch {
      throw new SourceError('transient', `${what}: answer is not JSON`, null, res.status);
    }
  }
}

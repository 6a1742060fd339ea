import type { HttpResponse, HttpTransport } from '../../transport/http-transport.js';
import { SourceError } from '../source-errors.js';
import type { SourceAccount, TimelinePage, TimelineSource } from '../timeline-source.js';
import { XAuthSession } from './x-auth.js';
import { X_DEFAULTS, type XConfig, type XOperation } from './x-config.js';
import { asSourceError, classifyXResponse, readRateLimit, type RateLimitState } from './x-error.js';
import { parseUserByScreenName } from './parse-user.js';
import { parseUserTweets } from './parse-user-tweets.js';

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/** X timelines through the web client's GraphQL API (UserByScreenName, UserTweets). */
export class XGraphqlSource implements TimelineSource {
  readonly platform = 'x' as const;
  private readonly auth: XAuthSession;
  private readonly baseUrl: string;
  private readonly pageSize: number;
  private readonly timeoutMs: number;
  private readonly limits = new Map<XOperation, RateLimitState>();
  private readonly probes = new Map<XOperation, Promise<void>>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly config: XConfig,
  ) {
    this.baseUrl = (config.baseUrl ?? X_DEFAULTS.baseUrl).replace(/\/+$/, '');
    this.pageSize = config.pageSize ?? X_DEFAULTS.pageSize;
    this.timeoutMs = config.timeoutMs ?? X_DEFAULTS.timeoutMs;
    this.auth = new XAuthSession(config.auth, transport, this.baseUrl, config.bearerToken, this.timeoutMs, config.sessionKey);
  }

  /** The proxy session key every request of this source carries. */
  get sessionKey(): string {
    return this.auth.sessionKey;
  }

  /**
   * The last x-rate-limit-* window seen per operation (X counts them per account and
   * endpoint), so a scheduler can wait for resetAt before the remaining budget runs out.
   */
  rateLimit(operation: XOperation): RateLimitState | null {
    return this.limits.get(operation) ?? null;
  }

  timelineBudget(): { remaining: number; resetAt: Date } | null {
    return this.limits.get('UserTweets') ?? null;
  }

  async resolveAccount(handle: string): Promise<SourceAccount> {
    const screenName = handle.trim().replace(/^@/, '');
    // Not a handle X can have: asking would only spend the rate limit.
    if (!HANDLE.test(screenName)) throw new SourceError('not_found', `"${handle}" is not an X handle`);
    const body = await this.call('UserByScreenName', { screen_name: screenName, withSafetyModeUserFields: true });
    return parseUserByScreenName(body, screenName);
  }

  async fetchPage(account: SourceAccount, cursor: string | null): Promise<TimelinePage> {
    const variables: Record<string, unknown> = {
      userId: account.platformUserId,
      count: this.pageSize,
      includePromotedContent: false,
      withVoice: true,
      withQuickPromoteEligibilityTweetFields: true,
    };
    if (cursor !== null) variables.cursor = cursor;
    const page = parseUserTweets(await this.call('UserTweets', variables));
    // X ends a timeline by answering with no tweets, or by handing back the cursor it was given;
    // following either would loop.
    const ended = page.tweets.length === 0 || page.bottomCursor === cursor;
    return { tweets: page.tweets, nextCursor: ended ? null : page.bottomCursor };
  }

  private url(operation: XOperation, variables: Record<string, unknown>): string {
    const query = new URLSearchParams({
      variables: JSON.stringify(variables),
      features: JSON.stringify(this.config.features),
    });
    if (this.config.fieldToggles) query.set('fieldToggles', JSON.stringify(this.config.fieldToggles));
    return `${this.baseUrl}/i/api/graphql/${encodeURIComponent(this.config.queryIds[operation])}/${operation}?${query}`;
  }

  /** One GraphQL GET, parsed; a guest token X refuses is replaced once and the call repeated. */
  private async call(operation: XOperation, variables: Record<string, unknown>): Promise<unknown> {
    const settled = await this.reserve(operation);
    try {
      return await this.send(operation, variables);
    } finally {
      settled();
    }
  }

  /**
   * Takes one request from the operation's window before sending, so concurrent walks on this
   * account never spend more than X allows: a spent window is refused here (rate_limited, with
   * its reset) without asking X; while no window is known (the first request, or the first after
   * a reset), one request goes out alone to learn it and the others wait for its answer.
   */
  private async reserve(operation: XOperation): Promise<() => void> {
    for (;;) {
      const known = this.limits.get(operation);
      if (known && known.resetAt.getTime() > Date.now()) {
        if (known.remaining <= 0) {
          throw new SourceError('rate_limited', `${operation} window spent until ${known.resetAt.toISOString()}`, known.resetAt);
        }
        this.limits.set(operation, { ...known, remaining: known.remaining - 1 });
        return () => {};
      }
      const probe = this.probes.get(operation);
      if (!probe) {
        let done!: () => void;
        this.probes.set(operation, new Promise<void>((resolve) => (done = resolve)));
        return () => {
          this.probes.delete(operation);
          done();
        };
      }
      await probe;
    }
  }

  private async send(operation: XOperation, variables: Record<string, unknown>): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const headers = {
        ...(await this.auth.headers()),
        'content-type': 'application/json',
        'x-twitter-active-user': 'yes',
        'x-twitter-client-language': 'en',
      };
      let response: HttpResponse;
      try {
        response = await this.transport.request({
          method: 'GET',
          url: this.url(operation, variables),
          headers,
          sessionKey: this.auth.sessionKey,
          timeoutMs: this.timeoutMs,
        });
      } catch (error) {
        throw asSourceError(error);
      }
      const limit = readRateLimit(response);
      if (limit) {
        // Answers can arrive out of order: within one window the smallest remaining is the truth.
        const seen = this.limits.get(operation);
        const sameWindow = seen && seen.resetAt.getTime() === limit.resetAt.getTime();
        this.limits.set(operation, sameWindow ? { ...limit, remaining: Math.min(limit.remaining, seen.remaining) } : limit);
      }

      const problem = classifyXResponse(response);
      if (!problem) return parseBody(response);
      const guestRefused = problem.kind === 'auth_failed' && (response.status === 401 || response.status === 403);
      if (guestRefused && this.auth.canRefresh && attempt === 0) {
        this.auth.invalidate();
        continue;
      }
      throw problem;
    }
  }
}

function parseBody(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    // A 200 that is not JSON is a proxy or captive page answering in X's place.
    throw new SourceError('transient', `X answered ${response.status} with a body that is not JSON`, null, response.status);
  }
}

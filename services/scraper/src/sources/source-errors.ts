/**
 * What went wrong with a platform request, classified so the scheduler knows what to do:
 * wait (rate limited), rotate the proxy (banned), drop the account (locked, not found), or stop
 * and tell an operator (auth or configuration).
 */
export type SourceErrorKind =
  | 'rate_limited' // 429 or X error 88: wait until resetAt, or use another account
  | 'proxy_banned' // Cloudflare HTML 403, connection refused/reset through a proxy: rotate the proxy
  | 'account_locked' // X error 326: the scraping account needs a person
  | 'auth_failed' // X error 32: bad or expired credentials
  | 'bad_request' // X error 336 (a feature flag is missing), the empty 404 (stale query id / transaction id)
  | 'not_found' // the handle does not exist or is suspended
  | 'transient'; // timeouts, 5xx, dropped connections: retry later

export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    /** For rate_limited: when the window resets. */
    readonly resetAt: Date | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** The GraphQL operations the source calls. */
export type XOperation = 'UserByScreenName' | 'UserTweets';

export type XAuth = { mode: 'guest' } | { mode: 'cookie'; authToken: string; ct0: string };

/**
 * How to talk to X's web GraphQL API. The bearer token, query ids and feature flags are those
 * of X's own web client and change when X ships a new one, so they come from configuration, not
 * from code: a stale query id shows as an empty 404, a missing flag as error 336.
 */
export interface XConfig {
  bearerToken: string;
  queryIds: Record<XOperation, string>;
  features: Record<string, boolean>;
  fieldToggles?: Record<string, boolean>;
  /** Default https://x.com; a local fake in tests. */
  baseUrl?: string;
  auth: XAuth;
  /** Tweets asked for per UserTweets page (X's "count"); default 40. */
  pageSize?: number;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Proxy stickiness key; by default derived from the auth identity. */
  sessionKey?: string;
}

export const X_DEFAULTS = { baseUrl: 'https://x.com', pageSize: 40, timeoutMs: 30_000 } as const;

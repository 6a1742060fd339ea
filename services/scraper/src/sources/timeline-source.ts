import type { ScrapedTweet } from './scraped-tweet.js';

export interface SourceAccount {
  /** The platform's own id of the account (X rest_id, Bluesky DID). */
  platformUserId: string;
  handle: string;
  name: string | null;
}

export interface TimelinePage {
  tweets: ScrapedTweet[];
  /** Where the next (older) page starts; null when the timeline has no more. */
  nextCursor: string | null;
}

/**
 * One platform's timelines. Paging stops when nextCursor is null; a source returns null itself
 * on a repeated cursor or an empty page, so callers never loop on a stuck timeline.
 */
export interface TimelineSource {
  readonly platform: 'x' | 'bluesky';
  resolveAccount(handle: string): Promise<SourceAccount>;
  fetchPage(account: SourceAccount, cursor: string | null): Promise<TimelinePage>;
  /**
   * What the platform said is left of the timeline endpoint's window, if it said: a scheduler
   * waits for the reset before spending the last request rather than collecting a 429.
   */
  timelineBudget?(): { remaining: number; resetAt: Date } | null;
}

import type { ScrapedTweet } from '../scraped-tweet.js';
import { SourceError } from '../source-errors.js';
import { arr, at, obj, str } from './x-json.js';
import { parseTweet } from './parse-tweet.js';

export interface UserTweetsPage {
  tweets: ScrapedTweet[];
  /** The Bottom cursor: where the next (older) page starts; null when the page has none. */
  bottomCursor: string | null;
  /** Tweet entries dropped: tombstones, or tweets missing an id, author, text or valid date. */
  skipped: number;
}

// Entries that carry the account's own timeline; who-to-follow, promoted and other modules
// are recommendations, not the account's tweets.
const isTimelineEntry = (entryId: string) =>
  entryId.startsWith('tweet-') || entryId.startsWith('profile-conversation-');

/** One UserTweets response body (parsed JSON) as the account's tweets and the next cursor. */
export function parseUserTweets(body: unknown): UserTweetsPage {
  const user = at(body, 'data', 'user', 'result');
  if (!obj(user) || at(user, '__typename') === 'UserUnavailable') {
    throw new SourceError('not_found', 'the account is unavailable (suspended, deleted or protected)');
  }
  // X has moved the timeline between timeline_v2 and timeline; either may hold it.
  const timeline = at(user, 'timeline', 'timeline') ?? at(user, 'timeline_v2', 'timeline');
  const tweets: ScrapedTweet[] = [];
  const seen = new Set<string>();
  let bottomCursor: string | null = null;
  let skipped = 0;

  const addItem = (itemContent: unknown) => {
    const result = at(itemContent, 'tweet_results', 'result');
    if (result === null) return; // a user or other non-tweet item
    if (at(itemContent, 'promotedMetadata') !== null) return;
    const tweet = parseTweet(result);
    if (!tweet) skipped++;
    // Conversation modules repeat tweets that also stand alone; the first is kept.
    else if (!seen.has(tweet.platformId)) {
      seen.add(tweet.platformId);
      tweets.push(tweet);
    }
  };

  const addEntry = (entry: unknown) => {
    const entryId = str(at(entry, 'entryId')) ?? '';
    const content = at(entry, 'content');
    if (at(content, 'cursorType') === 'Bottom' || entryId.startsWith('cursor-bottom-')) {
      bottomCursor = str(at(content, 'value')) ?? bottomCursor;
      return;
    }
    if (!isTimelineEntry(entryId)) return;
    const single = at(content, 'itemContent');
    if (single !== null) addItem(single);
    for (const item of arr(at(content, 'items'))) addItem(at(item, 'item', 'itemContent'));
  };

  for (const instruction of arr(at(timeline, 'instructions'))) {
    switch (at(instruction, 'type')) {
      case 'TimelinePinEntry':
        addEntry(at(instruction, 'entry'));
        break;
      case 'TimelineAddEntries':
        for (const entry of arr(at(instruction, 'entries'))) addEntry(entry);
        break;
      // Later pages may carry the Bottom cursor as a replaced entry instead of an added one.
      case 'TimelineReplaceEntry':
        addEntry(at(instruction, 'entry'));
        break;
      default: // TimelineClearCache and others hold no tweets
        break;
    }
  }
  return { tweets, bottomCursor, skipped };
}

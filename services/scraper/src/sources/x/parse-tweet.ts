import type { ScrapedTweet } from '../scraped-tweet.js';
import { arr, at, count, obj, str, type Json } from './x-json.js';
import { parseXDate } from './parse-x-date.js';

const TWEET_ID = /^\d{1,20}$/;

/**
 * The Tweet inside a tweet_results.result: itself, or the one a "TweetWithVisibilityResults"
 * (a tweet with reduced reach or a notice) wraps. Tombstones (deleted, withheld) and unknown
 * kinds give null.
 */
export function unwrapTweet(result: unknown): Json | null {
  const r = obj(result);
  if (!r) return null;
  if (r.__typename === 'Tweet') return r;
  if (r.__typename === 'TweetWithVisibilityResults') return unwrapTweet(r.tweet);
  return null;
}

/**
 * One tweet_results.result as a ScrapedTweet; null for tombstones and anything without the
 * fields a stored tweet needs (exact id, author handle, text, a valid date).
 *
 * A retweet is stored as the retweeting account's wrapper (isRetweet true, its "RT @x: …" text
 * and its counts), not as the original: the timeline is the account's and its filters decide.
 * hasLink means the text links out (legacy.entities.urls, or the long-text urls of a note
 * tweet); attached photos and videos are not links, since the seed filter "no links" is about
 * link-sharing tweets and a photo tweet is ordinary text.
 */
export function parseTweet(result: unknown): ScrapedTweet | null {
  const tweet = unwrapTweet(result);
  const legacy = obj(tweet?.legacy);
  if (!tweet || !legacy) return null;
  // Ids are read as the strings X sends: as numbers they pass 2^53 and would be rounded.
  const id = str(tweet.rest_id) ?? str(legacy.id_str);
  if (!id || !TWEET_ID.test(id)) return null;

  const user = at(tweet, 'core', 'user_results', 'result');
  const handle = str(at(user, 'core', 'screen_name')) ?? str(at(user, 'legacy', 'screen_name'));
  const name = str(at(user, 'core', 'name')) ?? str(at(user, 'legacy', 'name'));
  const createdAt = str(legacy.created_at);
  const tweetedAt = createdAt ? parseXDate(createdAt) : null;
  // Tweets past 280 characters arrive truncated in full_text; the note tweet holds all of it.
  const note = at(tweet, 'note_tweet', 'note_tweet_results', 'result');
  const text = str(at(note, 'text')) ?? (typeof legacy.full_text === 'string' ? legacy.full_text : null);
  if (!handle || !tweetedAt || text === null) return null;

  const hasLink = arr(at(legacy, 'entities', 'urls')).length > 0 || arr(at(note, 'entity_set', 'urls')).length > 0;
  return {
    platform: 'x',
    platformId: id,
    authorHandle: handle,
    authorName: name,
    text,
    tweetedAt,
    likeCount: count(legacy.favorite_count),
    retweetCount: count(legacy.retweet_count),
    replyCount: count(legacy.reply_count),
    isReply: str(legacy.in_reply_to_status_id_str) !== null,
    hasLink,
    isRetweet: obj(legacy.retweeted_status_result) !== null,
    isQuote: legacy.is_quote_status === true,
    url: `https://x.com/${handle}/status/${id}`,
    raw: result,
  };
}

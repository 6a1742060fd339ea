import type { ScrapedTweet } from '../scraped-tweet.js';
import type { BlueskyEmbed, BlueskyFeedViewPost } from './bluesky-records.js';

export interface AuthorFeedPage {
  tweets: ScrapedTweet[];
  cursor: string | null;
  /** Feed items without a usable post (no uri, no author), left out and counted. */
  skipped: number;
}

const REPOST = 'app.bsky.feed.defs#reasonRepost';
const LINK_FACET = 'app.bsky.richtext.facet#link';
const POST_COLLECTION = '/app.bsky.feed.post/';

/** Lexicon ids without the "#view" a hydrated view adds: app.bsky.embed.record#view → app.bsky.embed.record. */
function lexicon(type: string | undefined): string {
  return (type ?? '').replace(/#view$/, '');
}

/**
 * A quote is an embedded *post*: app.bsky.embed.record can also embed a feed generator, a list or
 * a starter pack, which are not quotes.
 */
function quotes(embed: BlueskyEmbed | undefined): boolean {
  const type = lexicon(embed?.$type);
  if (type !== 'app.bsky.embed.record' && type !== 'app.bsky.embed.recordWithMedia') return false;
  // recordWithMedia nests the record one level deeper ({record: {record: strongRef}}).
  const ref = type === 'app.bsky.embed.record' ? embed?.record : embed?.record?.record;
  return (ref?.uri ?? '').includes(POST_COLLECTION);
}

function linksOut(embed: BlueskyEmbed | undefined): boolean {
  const type = lexicon(embed?.$type);
  if (type === 'app.bsky.embed.external') return true;
  return type === 'app.bsky.embed.recordWithMedia' && lexicon(embed?.media?.$type) === 'app.bsky.embed.external';
}

function date(...candidates: Array<string | undefined>): Date | null {
  for (const c of candidates) {
    if (!c) continue;
    const d = new Date(c);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/** The post's page on bsky.app: the record key is the last segment of its at:// URI. */
function postUrl(handle: string, uri: string): string | null {
  const rkey = uri.split('/').at(-1);
  return rkey && uri.includes(POST_COLLECTION) ? `https://bsky.app/profile/${handle}/post/${rkey}` : null;
}

/** One feed item as a ScrapedTweet, or null when it carries no usable post. */
export function feedItemToTweet(item: BlueskyFeedViewPost): ScrapedTweet | null {
  const post = item?.post;
  if (!post || typeof post.uri !== 'string' || !post.author?.handle || !post.record) return null;
  const record = post.record;
  // The record is what the author wrote; the hydrated view is a fallback for older AppView answers.
  const embed = record.embed ?? post.embed;
  const tweetedAt = date(record.createdAt, post.indexedAt);
  if (!tweetedAt) return null;
  return {
    platform: 'bluesky',
    platformId: post.uri,
    authorHandle: post.author.handle,
    authorName: post.author.displayName?.trim() || null,
    text: typeof record.text === 'string' ? record.text : '',
    tweetedAt,
    likeCount: count(post.likeCount),
    retweetCount: count(post.repostCount),
    replyCount: count(post.replyCount),
    isReply: record.reply !== undefined && record.reply !== null,
    isRetweet: item.reason?.$type === REPOST,
    isQuote: quotes(embed) || quotes(post.embed),
    hasLink: (record.facets ?? []).some((f) => (f.features ?? []).some((x) => x.$type === LINK_FACET)) || linksOut(embed),
    url: postUrl(post.author.handle, post.uri),
    raw: item,
  };
}

/** app.bsky.feed.getAuthorFeed's answer → the page's posts and the cursor to the older ones. */
export function parseAuthorFeed(body: string | unknown): AuthorFeedPage {
  const data = (typeof body === 'string' ? JSON.parse(body) : body) as { feed?: unknown; cursor?: unknown };
  if (!data || !Array.isArray(data.feed)) throw new Error('getAuthorFeed answer without a feed array');
  const tweets: ScrapedTweet[] = [];
  let skipped = 0;
  for (const item of data.feed as BlueskyFeedViewPost[]) {
    const tweet = feedItemToTweet(item);
    if (tweet) tweets.push(tweet);
    else skipped++;
  }
  const cursor = typeof data.cursor === 'string' && data.cursor !== '' ? data.cursor : null;
  return { tweets, cursor, skipped };
}

import { describe, expect, it } from 'vitest';
import { parseAuthorFeed } from '../../src/sources/bluesky/parse-author-feed.js';
import { blueskyFixture } from './fixtures.js';

interface RawItem {
  post: { uri: string; author: { handle: string }; record: Record<string, unknown> & { reply?: unknown } };
  reason?: { $type: string };
}

describe('parseAuthorFeed on the recorded getAuthorFeed answer', () => {
  const body = blueskyFixture('f_autfeed.body.json');
  const raw = JSON.parse(body) as { feed: RawItem[]; cursor: string };
  const page = parseAuthorFeed(body);

  it('keeps every item, with the cursor', () => {
    expect(page.tweets).toHaveLength(50);
    expect(page.skipped).toBe(0);
    expect(page.cursor).toBe(raw.cursor);
  });

  it('finds 24 replies, 7 reposts and 19 originals, as counted from the raw JSON', () => {
    const replies = page.tweets.filter((t) => t.isReply).length;
    const reposts = page.tweets.filter((t) => t.isRetweet).length;
    const originals = page.tweets.filter((t) => !t.isReply && !t.isRetweet).length;
    expect({ replies, reposts, originals }).toEqual({ replies: 24, reposts: 7, originals: 19 });
    // The same counts straight from the JSON, without the parser.
    const rawReplies = raw.feed.filter((i) => 'reply' in i.post.record).length;
    const rawReposts = raw.feed.filter((i) => i.reason?.$type === 'app.bsky.feed.defs#reasonRepost').length;
    expect({ replies, reposts }).toEqual({ replies: rawReplies, reposts: rawReposts });
    expect(originals).toBe(raw.feed.length - raw.feed.filter((i) => 'reply' in i.post.record || i.reason).length);
  });

  it('maps a post field by field, the at:// URI kept exactly', () => {
    const first = page.tweets[0]!;
    const item = raw.feed[0]!;
    expect(first).toMatchObject({
      platform: 'bluesky',
      platformId: item.post.uri,
      authorHandle: 'chriskenny.bsky.social',
      authorName: 'Chris Kenny',
      text: item.post.record.text,
      tweetedAt: new Date(item.post.record.createdAt as string),
      likeCount: 0,
      retweetCount: 0,
      replyCount: 1,
      isReply: true,
      isRetweet: false,
      url: 'https://bsky.app/profile/chriskenny.bsky.social/post/3lof7sovfok2h',
    });
    expect(first.raw).toEqual(item);
    expect(new Set(page.tweets.map((t) => t.platformId)).size).toBe(50);
  });

  it('flags quotes (embedded posts) and links (link facets or external cards)', () => {
    const quoteOf = (i: RawItem) => {
      const e = i.post.record.embed as { $type: string; record: { uri?: string; record?: { uri: string } } } | undefined;
      const ref = e?.$type === 'app.bsky.embed.record' ? e.record : e?.$type === 'app.bsky.embed.recordWithMedia' ? e.record.record : null;
      return ref?.uri?.includes('/app.bsky.feed.post/') ?? false;
    };
    expect(page.tweets.filter((t) => t.isQuote).length).toBe(raw.feed.filter(quoteOf).length);
    expect(page.tweets.filter((t) => t.isQuote).length).toBe(7);
    expect(page.tweets.filter((t) => t.hasLink).length).toBe(23);
    const external = page.tweets.find((t) => (t.raw as RawItem).post.record.embed && ((t.raw as RawItem).post.record.embed as { $type: string }).$type === 'app.bsky.embed.external');
    expect(external?.hasLink).toBe(true);
  });

  it('reads links from facets and cards, and skips items without a post', () => {
    const post = (record: Record<string, unknown>) => ({
      post: { uri: 'at://did:plc:x/app.bsky.feed.post/abc', author: { handle: 'x.bsky.social' }, record: { text: 't', createdAt: '2025-01-01T00:00:00Z', ...record } },
    });
    const result = parseAuthorFeed({
      feed: [
        post({ facets: [{ features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org' }] }] }),
        post({ embed: { $type: 'app.bsky.embed.recordWithMedia', record: { record: { uri: 'at://did:plc:y/app.bsky.feed.post/q' } }, media: { $type: 'app.bsky.embed.external' } } }),
        post({ embed: { $type: 'app.bsky.embed.record', record: { uri: 'at://did:plc:y/app.bsky.feed.generator/whats-hot' } } }),
        { post: { uri: 'at://did:plc:x/app.bsky.feed.post/nope' } },
      ],
    });
    expect(result.tweets.map((t) => [t.hasLink, t.isQuote])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
    expect(result).toMatchObject({ skipped: 1, cursor: null });
  });

  it('rejects an answer without a feed', () => {
    expect(() => parseAuthorFeed('{"error":"x"}')).toThrow(/without a feed/);
  });
});

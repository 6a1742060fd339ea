import { describe, expect, it } from 'vitest';
import { xFixture } from '../../../test/x/x-fixtures.js';
import { SourceError } from '../source-errors.js';
import { parseTweet } from './parse-tweet.js';
import { parseUserByScreenName } from './parse-user.js';
import { parseUserTweets } from './parse-user-tweets.js';
import { parseXDate } from './parse-x-date.js';

type Json = Record<string, any>;
const page = () => xFixture('raw_user_tweets.json') as Json;

/** Every distinct Tweet object anywhere in the recording (timeline, retweeted, quoted), by id. */
function allTweetObjects(root: unknown): Json[] {
  const found = new Map<string, Json>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Json;
    if (o.__typename === 'Tweet' && o.legacy && !found.has(o.rest_id)) found.set(o.rest_id, o);
    Object.values(o).forEach(walk);
  };
  walk(root);
  return [...found.values()];
}

/** The account's own timeline tweets, read straight from the entries. */
function timelineTweetObjects(root: Json): Json[] {
  const out: Json[] = [];
  for (const ins of root.data.user.result.timeline.timeline.instructions) {
    for (const entry of ins.entries ?? (ins.entry ? [ins.entry] : [])) {
      if (!/^(tweet|profile-conversation)-/.test(entry.entryId)) continue;
      const contents = entry.content.itemContent ? [entry.content.itemContent] : entry.content.items.map((i: Json) => i.item.itemContent);
      for (const c of contents) out.push(c.tweet_results.result);
    }
  }
  return out;
}

const tally = (tweets: Json[]) => ({
  replies: tweets.filter((t) => t.legacy.in_reply_to_status_id_str).length,
  links: tweets.filter((t) => t.legacy.entities?.urls?.length > 0).length,
  retweets: tweets.filter((t) => t.legacy.retweeted_status_result).length,
});

describe('X tweets from the recorded UserTweets page', () => {
  it('flags the 41 tweet objects as the recording says: 1 reply, 12 with links, 16 retweets', () => {
    const objects = allTweetObjects(page());
    expect(objects).toHaveLength(41);
    const parsed = objects.map((o) => parseTweet(o));
    expect(parsed.every((t) => t !== null)).toBe(true);
    const flags = {
      replies: parsed.filter((t) => t!.isReply).length,
      links: parsed.filter((t) => t!.hasLink).length,
      retweets: parsed.filter((t) => t!.isRetweet).length,
    };
    expect(flags).toEqual(tally(objects));
    expect(flags).toEqual({ replies: 1, links: 12, retweets: 16 });
  });

  it("returns the account's timeline, in order, without who-to-follow, with the next cursor", () => {
    const raw = page();
    const expected = timelineTweetObjects(raw);
    const { tweets, bottomCursor } = parseUserTweets(raw);
    expect(tweets.map((t) => t.platformId)).toEqual(expected.map((t) => t.rest_id));
    expect(tweets).toHaveLength(21);
    expect({
      replies: tweets.filter((t) => t.isReply).length,
      links: tweets.filter((t) => t.hasLink).length,
      retweets: tweets.filter((t) => t.isRetweet).length,
    }).toEqual(tally(expected));
    expect(new Set(tweets.map((t) => t.authorHandle))).toEqual(new Set(['XDevelopers']));
    expect(bottomCursor).toBe('DAAHCgABHPEX6f6__-sLAAIAAAATMjA3MjEyNjY3NzUzNTM0Njc3OQgAAwAAAAIAAA');
  });

  it('keeps exact ids, UTC times, counts and the link of each tweet', () => {
    const pinned = parseUserTweets(page()).tweets[0]!;
    expect(pinned).toMatchObject({
      platform: 'x',
      platformId: '2019881223666233717',
      authorHandle: 'XDevelopers',
      authorName: 'Developers',
      url: 'https://x.com/XDevelopers/status/2019881223666233717',
    });
    expect(pinned.tweetedAt.toISOString()).toBe('2026-02-06T21:09:45.000Z');
    const raw = (page().data.user.result.timeline.timeline.instructions as Json[]).find((i) => i.type === 'TimelinePinEntry')!
      .entry.content.itemContent.tweet_results.result;
    expect(pinned.raw).toEqual(raw);
    expect(pinned.likeCount).toBe(raw.legacy.favorite_count);
    expect(pinned.retweetCount).toBe(raw.legacy.retweet_count);
    expect(pinned.replyCount).toBe(raw.legacy.reply_count);
  });

  it('stores a retweet as the wrapper: the account as author, its RT text', () => {
    const rt = parseUserTweets(page()).tweets.find((t) => t.platformId === '2083305234688803178')!;
    expect(rt).toMatchObject({ isRetweet: true, authorHandle: 'XDevelopers' });
    expect(rt.text.startsWith('RT @benjitaylor: ')).toBe(true);
  });

  it('gives the whole text of a long (note) tweet, not the truncated one', () => {
    const long = allTweetObjects(page()).find((t) => t.rest_id === '2077972969603621173')!;
    const tweet = parseTweet(long)!;
    expect(tweet.text).toBe(long.note_tweet.note_tweet_results.result.text);
    expect(tweet.text.length).toBeGreaterThan(long.legacy.full_text.length);
  });

  it('lists a tweet repeated by a conversation module once', () => {
    const raw = page();
    const add = raw.data.user.result.timeline.timeline.instructions.find((i: Json) => i.type === 'TimelineAddEntries');
    const first = add.entries[0];
    add.entries.push({
      entryId: 'profile-conversation-1',
      content: { items: [{ entryId: 'x', item: { itemContent: structuredClone(first.content.itemContent) } }] },
    });
    expect(parseUserTweets(raw).tweets).toHaveLength(21);
  });

  it('unwraps tweets with visibility results, skips tombstones and promoted tweets', () => {
    const raw = page();
    const add = raw.data.user.result.timeline.timeline.instructions.find((i: Json) => i.type === 'TimelineAddEntries');
    add.entries[0].content.itemContent.tweet_results.result = {
      __typename: 'TweetWithVisibilityResults',
      tweet: add.entries[0].content.itemContent.tweet_results.result,
    };
    add.entries[1].content.itemContent.tweet_results.result = { __typename: 'TweetTombstone', tombstone: {} };
    add.entries[2].content.itemContent.promotedMetadata = { advertiser_results: {} };
    const { tweets, skipped } = parseUserTweets(raw);
    expect(tweets.map((t) => t.platformId)).toContain('2083305234688803178');
    expect(tweets.map((t) => t.platformId)).not.toContain('2082669627528601817');
    expect(tweets.map((t) => t.platformId)).not.toContain('2082643671132864764');
    expect(tweets).toHaveLength(19);
    expect(skipped).toBe(1);
  });

  it('treats an unavailable account as not found', () => {
    const body = { data: { user: { result: { __typename: 'UserUnavailable', reason: 'Suspended' } } } };
    expect(() => parseUserTweets(body)).toThrow(SourceError);
    expect(() => parseUserTweets({ data: {} })).toThrow(expect.objectContaining({ kind: 'not_found' }));
  });
});

describe('X users', () => {
  it('reads the recorded UserByScreenName answer', () => {
    expect(parseUserByScreenName(xFixture('raw_user_by_login.json'), 'xdevelopers')).toEqual({
      platformUserId: '2244994945',
      handle: 'XDevelopers',
      name: 'Developers',
    });
  });

  it('refuses handles that do not exist or are suspended as not_found', () => {
    for (const body of [{ data: {} }, { data: { user: {} } }, { data: { user: { result: { __typename: 'UserUnavailable', reason: 'Suspended' } } } }]) {
      expect(() => parseUserByScreenName(body, 'nobody')).toThrow(expect.objectContaining({ kind: 'not_found' }));
    }
  });
});

describe('X dates', () => {
  it('reads created_at exactly, in UTC, with the offset applied', () => {
    expect(parseXDate('Wed Oct 10 20:19:24 +0000 2018')?.toISOString()).toBe('2018-10-10T20:19:24.000Z');
    expect(parseXDate('Wed Oct 10 20:19:24 +0130 2018')?.toISOString()).toBe('2018-10-10T18:49:24.000Z');
  });

  it('refuses anything else rather than guess', () => {
    for (const bad of ['2018-10-10T20:19:24Z', 'Wed Feb 30 20:19:24 +0000 2018', 'Wed Oct 10 24:19:24 +0000 2018', 'Wed Oct 10 20:19:24 2018', '']) {
      expect(parseXDate(bad)).toBeNull();
    }
  });
});

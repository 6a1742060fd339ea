import { datasetFiltersSchema } from '@ttt/contracts';
import { describe, expect, it } from 'vitest';
import { dropReason, type TweetRow } from './tweet-rules.js';

const defaults = datasetFiltersSchema.parse(undefined);
const row = (text: string, flags: Partial<TweetRow> = {}): [TweetRow, string] => [
  { id: 1n, platform: 'x', platformId: '1', text, isReply: false, hasLink: false, isRetweet: false, isQuote: false, ...flags },
  text,
];

describe('dropReason with the default filters', () => {
  it('keeps an ordinary tweet', () => {
    expect(dropReason(...row('Founders: talk to your customers every single week.'), defaults)).toBeNull();
  });

  it('drops by the stored flags and by what the text shows', () => {
    expect(dropReason(...row('A perfectly long tweet that is a reply', { isReply: true }), defaults)).toBe('reply');
    expect(dropReason(...row('A perfectly long tweet that was retweeted', { isRetweet: true }), defaults)).toBe('retweet');
    expect(dropReason(...row('RT @someone: a perfectly long tweet retweeted'), defaults)).toBe('retweet');
    expect(dropReason(...row('Read our new essay on growth here https://a16z.com/x'), defaults)).toBe('link');
    expect(dropReason(...row('Read our new essay on growth here pic.twitter.com/abc'), defaults)).toBe('link');
    expect(dropReason(...row('A perfectly long tweet with a card', { hasLink: true }), defaults)).toBe('link');
    expect(dropReason(...row('@alice @bob 🙏'), defaults)).toBe('mention_only');
    expect(dropReason(...row('@alice so true'), defaults)).toBe('too_short');
    expect(dropReason(...row(''), defaults)).toBe('empty');
  });

  it('lets each rule be turned off', () => {
    const loose = datasetFiltersSchema.parse({ dropReplies: false, dropLinks: false, dropMentionOnly: false, minChars: 0, dropQuotes: true });
    expect(dropReason(...row('a reply', { isReply: true }), loose)).toBeNull();
    expect(dropReason(...row('see https://x.com'), loose)).toBeNull();
    expect(dropReason(...row('@alice @bob'), loose)).toBeNull();
    expect(dropReason(...row('quoted tweet', { isQuote: true }), loose)).toBe('quote');
  });

  it('refuses unknown filter settings by name', () => {
    expect(() => datasetFiltersSchema.parse({ dropLink: false })).toThrow(/dropLink/);
  });
});

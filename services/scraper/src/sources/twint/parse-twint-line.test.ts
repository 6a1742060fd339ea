import { describe, expect, it } from 'vitest';
import { parseTwintLine } from './parse-twint-line.js';

const base = {
  id: 1,
  link: 'https://twitter.com/andrewchen/status/1267196520354295808',
  username: 'andrewchen',
  name: 'Andrew Chen',
  tweet: 'Social media seems silly',
  created_at: 1590958168000,
  reply_to: [{ user_id: '3283901', username: 'andrewchen' }],
  urls: [],
  retweet: false,
  quote_url: '',
};
const parse = (over: Record<string, unknown>) => parseTwintLine(JSON.stringify({ ...base, ...over }));
const tweet = (over: Record<string, unknown>) => {
  const r = parse(over);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.tweet;
};

describe('a twint line', () => {
  it('gives the exact id from the link, whatever the rounded id number says', () => {
    const line = JSON.stringify(base).replace('"id":1', '"id":1267196520354295800');
    const r = parseTwintLine(line);
    expect(r.ok && r.tweet.platformId).toBe('1267196520354295808');
    expect(r.ok && r.tweet.raw).toBe(line);
  });

  it('refuses an id past 2^53 that may have been rounded, when nothing confirms it', () => {
    const line = `{"id":1267196520354295800,${JSON.stringify({ ...base, link: '' }).slice(1).replace('"id":1,', '')}`;
    expect(parseTwintLine(line)).toMatchObject({ ok: false, reason: 'inexact_id' });
    const exact = line.replace('1267196520354295800', '1267196520354295808');
    expect(parseTwintLine(exact)).toMatchObject({ ok: true, tweet: { platformId: '1267196520354295808' } });
  });

  it('reads the time from created_at in ms, s, or text with a zone', () => {
    expect(tweet({}).tweetedAt.toISOString()).toBe('2020-05-31T20:49:28.000Z');
    expect(tweet({ created_at: 1590958168 }).tweetedAt.toISOString()).toBe('2020-05-31T20:49:28.000Z');
    expect(tweet({ created_at: '2020-05-31 20:49:28 UTC' }).tweetedAt.toISOString()).toBe('2020-05-31T20:49:28.000Z');
    expect(tweet({ created_at: '2020-05-31T22:49:28+02:00' }).tweetedAt.toISOString()).toBe('2020-05-31T20:49:28.000Z');
  });

  it('falls back to date, time and timezone when created_at names a zone it cannot read', () => {
    const t = tweet({ created_at: '2020-05-31 22:49:28 CEST', date: '2020-05-31', time: '22:49:28', timezone: '+0200' });
    expect(t.tweetedAt.toISOString()).toBe('2020-05-31T20:49:28.000Z');
  });

  it('reads twint\'s zone abbreviations, and refuses a zone it cannot read rather than guess UTC', () => {
    const at = (over: Record<string, unknown>) => tweet({ created_at: undefined, date: '2020-05-13', time: '14:35:46', ...over }).tweetedAt.toISOString();
    expect(at({ timezone: 'PDT' })).toBe('2020-05-13T21:35:46.000Z');
    expect(at({ timezone: 'UTC' })).toBe('2020-05-13T14:35:46.000Z');
    expect(at({ timezone: '-0700' })).toBe('2020-05-13T21:35:46.000Z');
    expect(tweet({ created_at: '2020-05-13 14:35:46 PDT' }).tweetedAt.toISOString()).toBe('2020-05-13T21:35:46.000Z');
    expect(parse({ created_at: undefined, date: '2020-05-13', time: '14:35:46', timezone: 'Mars/Olympus' })).toMatchObject({ ok: false, reason: 'bad_date' });
  });

  it('refuses dates that do not exist or make no sense', () => {
    expect(parse({ created_at: undefined, date: '2020-02-31', time: '10:00:00' })).toMatchObject({ ok: false, reason: 'bad_date' });
    expect(parse({ created_at: 'yesterday' })).toMatchObject({ ok: false, reason: 'bad_date' });
    expect(parse({ created_at: 86_400_000 })).toMatchObject({ ok: false, reason: 'bad_date' });
  });

  it('flags replies to somebody else, links, retweets and quotes; a thread of one\'s own is no reply', () => {
    expect(tweet({}).isReply).toBe(false);
    expect(tweet({ reply_to: [{ username: 'andrewchen' }, { username: 'paulg' }] }).isReply).toBe(true);
    expect(tweet({ urls: ['https://example.com'] }).hasLink).toBe(true);
    expect(tweet({ tweet: 'see https://example.com/x' }).hasLink).toBe(true);
    expect(tweet({}).hasLink).toBe(false);
    expect(tweet({ retweet: true }).isRetweet).toBe(true);
    expect(tweet({ quote_url: 'https://twitter.com/x/status/1' }).isQuote).toBe(true);
  });

  it('names what is missing', () => {
    expect(parse({ tweet: '  ' })).toMatchObject({ ok: false, reason: 'missing_text' });
    expect(parse({ username: '' })).toMatchObject({ ok: false, reason: 'missing_author' });
    expect(parse({ link: '', id: undefined })).toMatchObject({ ok: false, reason: 'missing_id' });
    expect(parseTwintLine('{"id": 1, "tweet": ')).toMatchObject({ ok: false, reason: 'invalid_json' });
    expect(parseTwintLine('"just a string"')).toMatchObject({ ok: false, reason: 'not_an_object' });
  });
});

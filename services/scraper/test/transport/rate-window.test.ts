import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../src/transport/rate-window.js';
import { ManualClock } from './manual-clock.js';
import { recordingLogger } from './recording-logger.js';

describe('RateWindow', () => {
  const setup = () => {
    const clock = new ManualClock(1_700_000_000_000);
    const logger = recordingLogger();
    return { clock, logger, windows: new RateWindow({ clock, logger }) };
  };
  const epoch = (ms: number) => String(Math.floor(ms / 1000));

  it('lets requests go while budget remains and holds them at 0 until the reset', async () => {
    const { clock, logger, windows } = setup();
    const resetAt = clock.now() + 900_000;
    windows.update('acct1:UserTweets', 200, { 'x-rate-limit-limit': '50', 'x-rate-limit-remaining': '1', 'x-rate-limit-reset': epoch(resetAt) });
    expect(windows.waitMs('acct1:UserTweets')).toBe(0);
    windows.update('acct1:UserTweets', 200, { 'x-rate-limit-limit': '50', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': epoch(resetAt) });
    expect(windows.waitMs('acct1:UserTweets')).toBe(900_000);
    expect(windows.waitMs('acct2:UserTweets')).toBe(0);
    await clock.advance(899_999);
    expect(windows.waitMs('acct1:UserTweets')).toBe(1);
    await clock.advance(1);
    expect(windows.waitMs('acct1:UserTweets')).toBe(0);
    expect(logger.messages()).toContain('rate window closed');
  });

  it("reads Bluesky's RateLimit-* headers, epoch or seconds from now", () => {
    const { clock, windows } = setup();
    windows.update('bsky', 200, { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': epoch(clock.now() + 300_000), 'ratelimit-policy': '3000;w=300' });
    expect(windows.waitMs('bsky')).toBe(300_000);
    windows.update('draft', 200, { 'ratelimit-remaining': '0', 'ratelimit-reset': '30' });
    expect(windows.waitMs('draft')).toBe(30_000);
  });

  it('closes the window on a 429, from Retry-After or a default when nothing says when', () => {
    const { windows } = setup();
    windows.update('a', 429, { 'retry-after': '120' });
    expect(windows.waitMs('a')).toBe(120_000);
    windows.update('b', 429, {});
    expect(windows.waitMs('b')).toBe(60_000);
  });

  it('spends the known budget ahead of the answers, so parallel requests do not all take the last unit', () => {
    const { clock, windows } = setup();
    windows.update('k', 200, { 'x-rate-limit-remaining': '2', 'x-rate-limit-reset': epoch(clock.now() + 60_000) });
    windows.consume('k');
    expect(windows.waitMs('k')).toBe(0);
    windows.consume('k');
    expect(windows.waitMs('k')).toBe(60_000);
    expect(windows.stats()).toMatchObject({ windows: 1, exhausted: 1 });
  });
});

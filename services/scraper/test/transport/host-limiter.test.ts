import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../src/transport/host-limiter.js';
import { ManualClock } from './manual-clock.js';
import { recordingLogger } from './recording-logger.js';

describe('HostLimiter', () => {
  it('hands slots out first come first served, per host', async () => {
    const limiter = new HostLimiter({ maxPerHost: 2, logger: recordingLogger() });
    const order: string[] = [];
    const releases = await Promise.all([limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('b')]);
    const third = limiter.acquire('a').then((r) => (order.push('third'), r));
    const fourth = limiter.acquire('a').then((r) => (order.push('fourth'), r));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(limiter.stats()).toMatchObject({ inFlight: { a: 2, b: 1 }, queued: { a: 2, b: 0 } });
    releases[0]!();
    releases[0]!(); // a second release of the same slot frees nothing more
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['third']);
    releases[1]!();
    (await third)();
    (await fourth)();
    releases[2]!();
    expect(limiter.stats().inFlight).toEqual({});
  });

  it('spaces request starts to a host by minIntervalMs', async () => {
    const clock = new ManualClock();
    const limiter = new HostLimiter({ maxPerHost: 5, minIntervalMs: 1000, clock, logger: recordingLogger() });
    const started: number[] = [];
    const go = () => limiter.acquire('h').then((release) => (started.push(clock.now()), release));
    const all = Promise.all([go(), go(), go()]);
    await clock.advance(0);
    for (let i = 0; i < 3; i++) await clock.advance(1000);
    (await all).forEach((release) => release());
    expect(started.map((t) => t - started[0]!)).toEqual([0, 1000, 2000]);
  });

  it('lets an aborted waiter go without taking a slot', async () => {
    const limiter = new HostLimiter({ maxPerHost: 1, logger: recordingLogger() });
    const release = await limiter.acquire('h');
    const ac = new AbortController();
    const waiting = limiter.acquire('h', ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    const again = await limiter.acquire('h');
    again();
    expect(limiter.stats().inFlight).toEqual({});
  });
});

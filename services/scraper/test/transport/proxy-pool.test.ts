import { describe, expect, it } from 'vitest';
import { ProxyPool, ProxyPoolExhaustedError } from '../../src/transport/proxy-pool.js';
import { ManualClock } from './manual-clock.js';
import { recordingLogger } from './recording-logger.js';

const PROXIES = ['http://a:pw@10.0.0.1:8000', 'http://b:pw@10.0.0.2:8000', 'http://c:pw@10.0.0.3:8000'];
const [A, B, C] = ['http://a@10.0.0.1:8000', 'http://b@10.0.0.2:8000', 'http://c@10.0.0.3:8000'];

function pool(options: ConstructorParameters<typeof ProxyPool>[1] = {}) {
  const clock = new ManualClock();
  const logger = recordingLogger();
  const p = new ProxyPool({ proxies: PROXIES }, { coolDownMs: 60_000, maxCoolDownMs: 300_000, clock, logger, ...options });
  return { pool: p, clock, logger };
}

/** Acquires with the clock a millisecond on, so least-recently-used has an order to go by. */
async function next(p: ProxyPool, clock: ManualClock, sessionKey?: string): Promise<string> {
  await clock.advance(1);
  return (await p.acquire({ sessionKey })).id;
}

describe('ProxyPool', () => {
  it('rotates through the least recently used proxy, never naming a password', async () => {
    const { pool: p, clock } = pool();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await next(p, clock));
    expect(ids).toEqual([A, B, C, A, B, C]);
    expect(JSON.stringify(p.stats())).not.toContain('pw');
    expect(p.stats().requests).toBe(6);
  });

  it('benches a banned proxy for its cool-down, then takes it back', async () => {
    const { pool: p, clock, logger } = pool();
    p.reportBan(A, 'cloudflare_403');
    for (let i = 0; i < 4; i++) expect(await next(p, clock)).not.toBe(A);
    expect(p.stats()).toMatchObject({ healthy: 2, coolingDown: 1, coolDowns: 1, bansByReason: { cloudflare_403: 1 } });
    await clock.advance(60_000);
    expect(await next(p, clock)).toBe(A);
    expect(p.stats().healthy).toBe(3);
    expect(logger.messages()).toEqual(expect.arrayContaining(['proxy cooling down', 'proxy back from cool-down']));
  });

  it('doubles the cool-down per repeated ban up to the cap, and a success resets it', async () => {
    const { pool: p, clock } = pool();
    const coolFor = () => p.stats().perProxy.find((x) => x.id === A)!.coolingUntil! - clock.now();
    const seen = [];
    for (let i = 0; i < 5; i++) {
      p.reportBan(A, 'cloudflare_403');
      seen.push(coolFor());
      await clock.advance(coolFor());
    }
    expect(seen).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
    p.reportSuccess(A);
    p.reportBan(A, 'cloudflare_403');
    expect(coolFor()).toBe(60_000);
  });

  it('counts a ban reported again by requests already in flight once', async () => {
    const { pool: p, clock } = pool();
    p.reportBan(A, 'connection_reset');
    p.reportBan(A, 'connection_reset');
    expect(p.stats().bansByReason).toEqual({ connection_reset: 2 });
    expect(p.stats().coolDowns).toBe(1);
    expect(p.stats().perProxy[0]!.coolingUntil! - clock.now()).toBe(60_000);
  });

  it('benches a proxy after consecutive failures, not after one', async () => {
    const { pool: p } = pool({ maxConsecutiveFailures: 3 });
    p.reportFailure(B, 'timeout');
    p.reportFailure(B, 'timeout');
    expect(p.stats().healthy).toBe(3);
    p.reportSuccess(B);
    p.reportFailure(B, 'connection_refused');
    p.reportFailure(B, 'connection_refused');
    expect(p.stats().healthy).toBe(3);
    p.reportFailure(B, 'connection_refused');
    expect(p.stats()).toMatchObject({ healthy: 2, failuresByReason: { timeout: 2, connection_refused: 3 } });
  });

  it('keeps a session on its proxy while healthy and moves it once when banned', async () => {
    const { pool: p, clock } = pool();
    const first = await next(p, clock, 'account-1');
    await next(p, clock);
    await next(p, clock);
    for (let i = 0; i < 3; i++) expect(await next(p, clock, 'account-1')).toBe(first);
    p.reportBan(first, 'cloudflare_403');
    const moved = await next(p, clock, 'account-1');
    expect(moved).not.toBe(first);
    expect(await next(p, clock, 'account-1')).toBe(moved);
    expect(p.stats().rotations).toBe(1);
  });

  it('waits for the earliest cool-down to end when every proxy is benched', async () => {
    const { pool: p, clock, logger } = pool();
    p.reportBan(A, 'cloudflare_403');
    await clock.advance(10_000);
    p.reportBan(B, 'cloudflare_403');
    p.reportBan(C, 'cloudflare_403');
    let got: string | null = null;
    const pending = p.acquire().then((l) => (got = l.id));
    await clock.advance(0);
    expect(got).toBeNull();
    expect(clock.sleepers).toBe(1);
    await clock.advance(49_999);
    expect(got).toBeNull();
    await clock.advance(1);
    await pending;
    expect(got).toBe(A);
    expect(p.stats().exhaustedWaits).toBe(1);
    expect(logger.messages()).toContain('every proxy is cooling down, waiting for the first to come back');
  });

  it('gives up waiting when aborted', async () => {
    const { pool: p } = pool();
    for (const id of [A, B, C]) p.reportBan(id, 'cloudflare_403');
    const ac = new AbortController();
    const pending = p.acquire({ signal: ac.signal });
    ac.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('throws a clear error instead of waiting when told not to wait', async () => {
    const { pool: p, clock } = pool({ waitWhenExhausted: false });
    for (const id of [A, B, C]) p.reportBan(id, 'cloudflare_403');
    const err = await p.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyPoolExhaustedError);
    expect((err as ProxyPoolExhaustedError).retryAt.getTime()).toBe(clock.now() + 60_000);
    expect((err as Error).message).toMatch(/every proxy is cooling down/);
  });

  it('pins Scrapoxy requests by proxy name, benching one name at a time', async () => {
    const clock = new ManualClock();
    const p = new ProxyPool(
      { scrapoxy: { url: 'http://user:token@scrapoxy.local:8888', proxyNames: ['dc-1', 'dc-2'] } },
      { clock, logger: recordingLogger() },
    );
    await clock.advance(1);
    const first = await p.acquire();
    expect(first).toEqual({
      id: 'http://user@scrapoxy.local:8888#dc-1',
      proxyUrl: 'http://user:token@scrapoxy.local:8888',
      headers: { 'x-scrapoxy-proxyname': 'dc-1' },
    });
    p.reportBan(first.id, 'cloudflare_403');
    await clock.advance(1);
    expect((await p.acquire()).headers).toEqual({ 'x-scrapoxy-proxyname': 'dc-2' });
    await clock.advance(1);
    expect((await p.acquire()).headers).toEqual({ 'x-scrapoxy-proxyname': 'dc-2' });
  });

  it('refuses an empty or duplicated list', () => {
    expect(() => new ProxyPool({ proxies: [] })).toThrow(/at least one proxy/);
    expect(() => new ProxyPool({ proxies: [PROXIES[0]!, PROXIES[0]!] })).toThrow(/twice/);
  });
});

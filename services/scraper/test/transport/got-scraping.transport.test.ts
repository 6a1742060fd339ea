import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sources/source-errors.js';
import { scaledClock } from '../../src/transport/clock.js';
import { GotScrapingTransport } from '../../src/transport/got-scraping.transport.js';
import { HostLimiter } from '../../src/transport/host-limiter.js';
import { ProxyPool } from '../../src/transport/proxy-pool.js';
import { startForwardingProxy, type ForwardingProxy } from './forwarding-proxy.js';
import { startOriginServer, type OriginServer } from './origin-server.js';
import { recordingLogger } from './recording-logger.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function origin(delayMs = 0): Promise<OriginServer> {
  const o = await startOriginServer(delayMs);
  closers.push(o.close);
  return o;
}

async function proxies(n: number): Promise<ForwardingProxy[]> {
  const ps = await Promise.all(Array.from({ length: n }, (_, i) => startForwardingProxy(`p${i}`)));
  for (const p of ps) closers.push(p.close);
  return ps;
}

/** Pool time runs 200 times faster: a two-minute cool-down passes in 600 ms. */
const FAST = 200;

function setup(ps: ForwardingProxy[], poolOptions: ConstructorParameters<typeof ProxyPool>[1] = {}) {
  const logger = recordingLogger();
  const clock = scaledClock(FAST);
  const pool = new ProxyPool({ proxies: ps.map((p) => p.url) }, { coolDownMs: 120_000, clock, logger, ...poolOptions });
  const transport = new GotScrapingTransport({ pool, logger, timeoutMs: 5_000 });
  return { pool, transport, logger, clock };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GotScrapingTransport through the proxy pool', () => {
  it('goes through a proxy with its credentials and browser-like headers, and hands back flat lower-case headers', async () => {
    const site = await origin();
    const [p0] = await proxies(1);
    const { transport, pool } = setup([p0!]);
    const res = await transport.request({ method: 'GET', url: `${site.url}/x?a=1`, headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.proxy).toBe(p0!.id);
    expect(p0!.seen).toEqual([{ url: `${site.url}/x?a=1`, proxyAuthorization: `Basic ${Buffer.from('p0:secret').toString('base64')}`, scrapoxyName: undefined }]);
    expect(site.requests).toEqual([{ path: '/x?a=1', viaProxy: 'p0' }]);
    expect(JSON.parse(res.body).userAgent).toMatch(/^Mozilla\/5\.0/);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-cookie']).toBe('a=1\nb=2');
    expect(pool.stats().perProxy[0]).toMatchObject({ requests: 1, healthy: true });
  });

  it('rotates a proxy that gets the Cloudflare page out, and takes it back after its cool-down', async () => {
    const site = await origin();
    const ps = await proxies(2);
    const { transport, pool, logger } = setup(ps);
    ps[0]!.mode = 'cloudflare';
    const blocked = await transport.request({ method: 'GET', url: `${site.url}/1` });
    expect(blocked).toMatchObject({ status: 403, proxy: ps[0]!.id });
    expect(blocked.body).toContain('Attention Required! | Cloudflare');
    expect(pool.stats().bansByReason).toEqual({ cloudflare_403: 1 });
    ps[0]!.mode = 'forward';
    for (let i = 0; i < 2; i++) expect((await transport.request({ method: 'GET', url: `${site.url}/2` })).proxy).toBe(ps[1]!.id);
    expect(ps[0]!.seen).toHaveLength(1);
    expect(pool.stats().coolingDown).toBe(1);
    // Back after its cool-down and, least recently used, the next one out.
    await until(() => pool.stats().healthy === 2);
    expect((await transport.request({ method: 'GET', url: `${site.url}/3` })).proxy).toBe(ps[0]!.id);
    expect(logger.messages()).toEqual(expect.arrayContaining(['blocked by the site', 'proxy cooling down', 'proxy back from cool-down']));
  });

  it('treats a dropped connection through a proxy as a ban and says so to the source', async () => {
    const site = await origin();
    const ps = await proxies(2);
    const { transport, pool } = setup(ps);
    ps[0]!.mode = 'drop';
    const err = await transport.request({ method: 'GET', url: `${site.url}/` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('proxy_banned');
    expect(pool.stats().bansByReason).toEqual({ connection_reset: 1 });
    expect((await transport.request({ method: 'GET', url: `${site.url}/` })).proxy).toBe(ps[1]!.id);
  });

  it('keeps a session on its proxy and moves it when that proxy is banned', async () => {
    const site = await origin();
    const ps = await proxies(3);
    const { transport, pool } = setup(ps, { coolDownMs: 3_600_000, maxCoolDownMs: 3_600_000 });
    const get = (sessionKey: string) => transport.request({ method: 'GET', url: `${site.url}/`, sessionKey });
    const home = (await get('acct-1')).proxy;
    await get('other');
    for (let i = 0; i < 3; i++) expect((await get('acct-1')).proxy).toBe(home);
    ps.find((p) => p.id === home)!.mode = 'cloudflare';
    expect((await get('acct-1')).status).toBe(403);
    const moved = (await get('acct-1')).proxy;
    expect(moved).not.toBe(home);
    expect((await get('acct-1')).proxy).toBe(moved);
    expect(pool.stats().rotations).toBe(1);
  });

  it('waits for the earliest cool-down when every proxy is banned, rather than hammering', async () => {
    const site = await origin();
    const ps = await proxies(2);
    const { transport, pool, clock } = setup(ps);
    for (const p of ps) p.mode = 'cloudflare';
    await transport.request({ method: 'GET', url: `${site.url}/` });
    await transport.request({ method: 'GET', url: `${site.url}/` });
    for (const p of ps) p.mode = 'forward';
    const firstBack = Math.min(...pool.stats().perProxy.map((p) => p.coolingUntil!));
    const res = await transport.request({ method: 'GET', url: `${site.url}/` });
    expect(clock.now()).toBeGreaterThanOrEqual(firstBack);
    expect(res).toMatchObject({ status: 200, proxy: ps[0]!.id });
    expect(ps[0]!.seen.length + ps[1]!.seen.length).toBe(3);
    expect(pool.stats().exhaustedWaits).toBe(1);
  });

  it('goes direct without a pool, and a refused connection is transient', async () => {
    const site = await origin();
    const transport = new GotScrapingTransport({ logger: recordingLogger() });
    const res = await transport.request({ method: 'GET', url: `${site.url}/direct` });
    expect(res).toMatchObject({ status: 200, proxy: null });
    expect(site.requests[0]!.viaProxy).toBeUndefined();
    const gone = await startOriginServer();
    await gone.close();
    const err = await transport.request({ method: 'GET', url: `${gone.url}/direct` }).catch((e: unknown) => e);
    expect((err as SourceError).kind).toBe('transient');
    expect(transport.stats().errorsByCode).toEqual({ ECONNREFUSED: 1 });
  });

  it('never has more requests in flight to one host than the limit', async () => {
    const site = await origin(150);
    const ps = await proxies(3);
    const logger = recordingLogger();
    const pool = new ProxyPool({ proxies: ps.map((p) => p.url) }, { logger });
    const hostLimiter = new HostLimiter({ maxPerHost: 2, logger });
    const transport = new GotScrapingTransport({ pool, hostLimiter, logger });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => transport.request({ method: 'GET', url: `${site.url}/${i}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(site.requests).toHaveLength(7);
    expect(site.maxInFlight).toBe(2);
    expect(hostLimiter.stats().queuedTotal).toBe(5);
    expect(hostLimiter.stats().inFlight).toEqual({});
  });
});

import { Logger, type LoggerService } from '@nestjs/common';
import { systemClock, type Clock } from './clock.js';

/** One way out, handed to a single request. */
export interface ProxyLease {
  /** Stable name of the proxy for reports and logs: no password in it. */
  id: string;
  /** What the HTTP client connects through (credentials included). */
  proxyUrl: string;
  /** Headers the request must carry for this proxy (Scrapoxy's pin). */
  headers: Record<string, string>;
}

export type ProxySource =
  /** Plain proxies, http://user:pass@host:port each. */
  | { proxies: string[] }
  /**
   * One Scrapoxy endpoint: every request goes there, and `x-scrapoxy-proxyname` pins it to one of
   * Scrapoxy's upstream proxies, so a ban benches that name while the others carry on.
   */
  | { scrapoxy: { url: string; proxyNames: string[] } };

export interface ProxyPoolOptions {
  /** First cool-down after a ban; doubles per repeated ban of the same proxy, up to maxCoolDownMs. */
  coolDownMs?: number;
  maxCoolDownMs?: number;
  /** Failures (refused connections, timeouts) in a row before a proxy cools down like a first ban. */
  maxConsecutiveFailures?: number;
  /** When every proxy cools down: wait for the earliest to come back (default), or throw at once. */
  waitWhenExhausted?: boolean;
  /** Waiting longer than this for a proxy throws instead (the scheduler has better things to do). */
  maxWaitMs?: number;
  clock?: Clock;
  logger?: Pick<LoggerService, 'log' | 'warn'>;
}

export interface AcquireOptions {
  /** Requests with the same key go out through the same proxy while it stays healthy. */
  sessionKey?: string;
  signal?: AbortSignal;
}

export interface ProxyStats {
  id: string;
  healthy: boolean;
  coolingUntil: number | null;
  consecutiveFailures: number;
  /** Bans since the last success: the exponent of the next cool-down. */
  banStreak: number;
  requests: number;
}

export interface ProxyPoolStats {
  proxies: number;
  healthy: number;
  coolingDown: number;
  requests: number;
  bansByReason: Record<string, number>;
  failuresByReason: Record<string, number>;
  coolDowns: number;
  /** A session moved to another proxy because its own was cooling down. */
  rotations: number;
  /** acquire() calls that had to wait for a cool-down to end. */
  exhaustedWaits: number;
  perProxy: ProxyStats[];
}

export class ProxyPoolExhaustedError extends Error {
  constructor(readonly retryAt: Date) {
    super(`every proxy is cooling down; the first comes back at ${retryAt.toISOString()}`);
    this.name = 'ProxyPoolExhaustedError';
  }
}

interface ProxyState extends ProxyLease {
  coolingUntil: number | null;
  consecutiveFailures: number;
  banStreak: number;
  lastUsedAt: number;
  requests: number;
}

/** Strips the password: ids end up in logs, metrics and stored responses. */
function redact(proxyUrl: string): string {
  const u = new URL(proxyUrl);
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  return `${u.protocol}//${user}${u.host}`;
}

/**
 * Which proxy the next request uses. Least recently used healthy proxy first (spreads load, gives
 * each IP the longest rest); banned ones sit out a cool-down that grows with repeated bans, then
 * come back on probation: one more ban sends them away for twice as long, a success clears it.
 */
export class ProxyPool {
  private readonly proxies: ProxyState[];
  private readonly sessions = new Map<string, ProxyState>();
  private readonly coolDownMs: number;
  private readonly maxCoolDownMs: number;
  private readonly maxConsecutiveFailures: number;
  private readonly waitWhenExhausted: boolean;
  private readonly maxWaitMs: number;
  private readonly clock: Clock;
  private readonly logger: Pick<LoggerService, 'log' | 'warn'>;
  private readonly counters = {
    requests: 0,
    bansByReason: {} as Record<string, number>,
    failuresByReason: {} as Record<string, number>,
    coolDowns: 0,
    rotations: 0,
    exhaustedWaits: 0,
  };

  constructor(source: ProxySource, options: ProxyPoolOptions = {}) {
    this.coolDownMs = options.coolDownMs ?? 60_000;
    this.maxCoolDownMs = options.maxCoolDownMs ?? 30 * 60_000;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 3;
    this.waitWhenExhausted = options.waitWhenExhausted ?? true;
    this.maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(ProxyPool.name);
    const leases: ProxyLease[] =
      'proxies' in source
        ? source.proxies.map((p) => ({ id: redact(p), proxyUrl: p, headers: {} }))
        : source.scrapoxy.proxyNames.map((name) => ({
            id: `${redact(source.scrapoxy.url)}#${name}`,
            proxyUrl: source.scrapoxy.url,
            headers: { 'x-scrapoxy-proxyname': name },
          }));
    if (leases.length === 0) throw new Error('ProxyPool needs at least one proxy (leave the pool out to go direct)');
    if (new Set(leases.map((l) => l.id)).size !== leases.length) throw new Error('ProxyPool: the same proxy is listed twice');
    this.proxies = leases.map((l) => ({ ...l, coolingUntil: null, consecutiveFailures: 0, banStreak: 0, lastUsedAt: 0, requests: 0 }));
  }

  async acquire(options: AcquireOptions = {}): Promise<ProxyLease> {
    const { sessionKey, signal } = options;
    let waited = false;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const chosen = this.pick(sessionKey, now);
      if (chosen) {
        chosen.lastUsedAt = now;
        chosen.requests++;
        this.counters.requests++;
        return { id: chosen.id, proxyUrl: chosen.proxyUrl, headers: { ...chosen.headers } };
      }
      const earliest = Math.min(...this.proxies.map((p) => p.coolingUntil ?? now));
      const waitMs = Math.max(0, earliest - now);
      if (!this.waitWhenExhausted || waitMs > this.maxWaitMs) {
        this.logger.warn({ msg: 'proxy pool exhausted, not waiting', waitMs });
        throw new ProxyPoolExhaustedError(new Date(earliest));
      }
      if (!waited) {
        waited = true;
        this.counters.exhaustedWaits++;
        this.logger.warn({ msg: 'every proxy is cooling down, waiting for the first to come back', waitMs });
      }
      await this.clock.sleep(waitMs, signal);
    }
  }

  /** The request reached the site and was answered normally: the proxy is fine. */
  reportSuccess(id: string): void {
    const p = this.find(id);
    if (!p) return;
    p.consecutiveFailures = 0;
    p.banStreak = 0;
  }

  /** The site refused us through this proxy (Cloudflare page, reset connections). */
  reportBan(id: string, reason: string): void {
    const p = this.find(id);
    if (!p) return;
    this.counters.bansByReason[reason] = (this.counters.bansByReason[reason] ?? 0) + 1;
    // Requests that were in flight when the first ban came in report it again: one ban, not several.
    if (this.isCooling(p, this.clock.now())) return;
    p.banStreak++;
    this.coolDown(p, Math.min(this.coolDownMs * 2 ** (p.banStreak - 1), this.maxCoolDownMs), `ban: ${reason}`);
  }

  /** The proxy itself did not work this time (refused, timed out); a few in a row bench it. */
  reportFailure(id: string, reason: string): void {
    const p = this.find(id);
    if (!p) return;
    this.counters.failuresByReason[reason] = (this.counters.failuresByReason[reason] ?? 0) + 1;
    if (this.isCooling(p, this.clock.now())) return;
    p.consecutiveFailures++;
    if (p.consecutiveFailures >= this.maxConsecutiveFailures) {
      p.consecutiveFailures = 0;
      this.coolDown(p, this.coolDownMs, `${this.maxConsecutiveFailures} failures in a row, last: ${reason}`);
    }
  }

  stats(): ProxyPoolStats {
    const now = this.clock.now();
    const perProxy = this.proxies.map((p) => ({
      id: p.id,
      healthy: !this.isCooling(p, now),
      coolingUntil: this.isCooling(p, now) ? p.coolingUntil : null,
      consecutiveFailures: p.consecutiveFailures,
      banStreak: p.banStreak,
      requests: p.requests,
    }));
    const healthy = perProxy.filter((p) => p.healthy).length;
    return {
      proxies: this.proxies.length,
      healthy,
      coolingDown: this.proxies.length - healthy,
      requests: this.counters.requests,
      bansByReason: { ...this.counters.bansByReason },
      failuresByReason: { ...this.counters.failuresByReason },
      coolDowns: this.counters.coolDowns,
      rotations: this.counters.rotations,
      exhaustedWaits: this.counters.exhaustedWaits,
      perProxy,
    };
  }

  private pick(sessionKey: string | undefined, now: number): ProxyState | null {
    const pinned = sessionKey === undefined ? undefined : this.sessions.get(sessionKey);
    if (pinned && !this.isCooling(pinned, now)) return this.comeBack(pinned, now);
    let best: ProxyState | null = null;
    for (const p of this.proxies) {
      if (this.isCooling(p, now)) continue;
      if (!best || p.lastUsedAt < best.lastUsedAt) best = p;
    }
    if (!best) return null;
    if (sessionKey !== undefined) {
      this.sessions.set(sessionKey, best);
      if (pinned) {
        this.counters.rotations++;
        this.logger.log({ msg: 'session moved to another proxy', sessionKey, from: pinned.id, to: best.id });
      }
    }
    return this.comeBack(best, now);
  }

  /** Logs the end of a cool-down the first time the proxy is used again. */
  private comeBack(p: ProxyState, now: number): ProxyState {
    if (p.coolingUntil !== null && p.coolingUntil <= now) {
      p.coolingUntil = null;
      this.logger.log({ msg: 'proxy back from cool-down', proxy: p.id, banStreak: p.banStreak });
    }
    return p;
  }

  private isCooling(p: ProxyState, now: number): boolean {
    return p.coolingUntil !== null && p.coolingUntil > now;
  }

  private coolDown(p: ProxyState, ms: number, why: string): void {
    const until = this.clock.now() + ms;
    p.coolingUntil = until;
    this.counters.coolDowns++;
    this.logger.warn({ msg: 'proxy cooling down', proxy: p.id, why, coolDownMs: ms, until: new Date(until).toISOString() });
  }

  private find(id: string): ProxyState | undefined {
    const p = this.proxies.find((x) => x.id === id);
    if (!p) this.logger.warn({ msg: 'report for a proxy the pool does not hold', proxy: id });
    return p;
  }
}

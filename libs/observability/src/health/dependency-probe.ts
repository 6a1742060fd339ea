import { Redis } from 'ioredis';
import pg from 'pg';

export interface ProbeResult {
  ok: boolean;
  ms: number;
  error?: string;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });

async function timed(run: () => Promise<unknown>): Promise<ProbeResult> {
  const start = performance.now();
  try {
    await run();
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - start), error: (error as Error).message };
  }
}

/**
 * Readiness probes on connections of their own, so a saturated application pool does not
 * read as "database down" and a dead database is noticed even when no request touches it.
 */
export class DependencyProbe {
  private readonly pool: pg.Pool;
  private readonly redis: Redis;

  constructor(databaseUrl: string, redisUrl: string, private readonly timeoutMs = 2000) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: timeoutMs, idleTimeoutMillis: 10_000 });
    this.pool.on('error', () => {});
    this.redis = new Redis(redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: () => null,
    });
    this.redis.on('error', () => {});
  }

  postgres(): Promise<ProbeResult> {
    return timed(() => withTimeout(this.pool.query('SELECT 1'), this.timeoutMs, 'Postgres'));
  }

  redisPing(): Promise<ProbeResult> {
    return timed(async () => {
      // A closed client (after an outage) is reopened here rather than by a retry loop that
      // would hammer a dead server between probes.
      if (this.redis.status === 'end' || this.redis.status === 'wait') await this.redis.connect().catch(() => {});
      await withTimeout(this.redis.ping(), this.timeoutMs, 'Redis');
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}

import { Redis } from 'ioredis';
import pg from 'pg';

export interface ProbeResult {
  ok: boolean;
  ms: number;
  error?: string;
}

/**
 * Readiness probes. Each probe opens a connection of its own and closes it, whatever happens:
 * a saturated application pool does not read as "database down", a dead server is noticed
 * even when no request touches it, and a connection stuck on a black-holed network can never
 * outlive the probe that opened it (or hold up shutdown).
 */
export class DependencyProbe {
  private last: { at: number; result: Promise<{ postgres: ProbeResult; redis: ProbeResult }> } | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly redisUrl: string,
    private readonly timeoutMs = 2000,
    private readonly reuseMs = 1000,
  ) {}

  /**
   * Both checks. Callers within `reuseMs` of a probe (or while it runs) share it: a burst of
   * readiness requests must not turn into a burst of database connections.
   */
  check(): Promise<{ postgres: ProbeResult; redis: ProbeResult }> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.reuseMs) return this.last.result;
    const result = Promise.all([this.postgres(), this.redisPing()]).then(([postgres, redis]) => {
      // The sharing window starts when the answer is known, not when it was asked.
      if (this.last?.result === result) this.last.at = Date.now();
      return { postgres, redis };
    });
    this.last = { at: Number.POSITIVE_INFINITY, result };
    return result;
  }

  postgres(): Promise<ProbeResult> {
    return this.timed('Postgres', async (onTimeout) => {
      const client = new pg.Client({
        connectionString: this.databaseUrl,
        connectionTimeoutMillis: this.timeoutMs,
        query_timeout: this.timeoutMs,
      });
      client.on('error', () => {});
      onTimeout(() => void client.end().catch(() => {}));
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => {});
      }
    });
  }

  redisPing(): Promise<ProbeResult> {
    return this.timed('Redis', async (onTimeout) => {
      const redis = new Redis(this.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: this.timeoutMs,
        commandTimeout: this.timeoutMs,
        retryStrategy: () => null,
      });
      redis.on('error', () => {});
      onTimeout(() => redis.disconnect());
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    });
  }

  /** Runs a check with a hard deadline; past it, the check's connection is torn down. */
  private async timed(what: string, check: (onTimeout: (abort: () => void) => void) => Promise<void>): Promise<ProbeResult> {
    const start = performance.now();
    let abort = () => {};
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort();
        reject(new Error(`${what} did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([check((a) => (abort = a)), deadline]);
      return { ok: true, ms: Math.round(performance.now() - start) };
    } catch (error) {
      return { ok: false, ms: Math.round(performance.now() - start), error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}

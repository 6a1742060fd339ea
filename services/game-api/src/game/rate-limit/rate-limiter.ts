import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { GAME_CONFIG, GAME_REDIS } from '../game.tokens.js';

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 5_000;

// Counts every key of the request in one round trip; the first key over its limit answers with
// the time left in its window. A fixed window is enough here: the limits stop scripted farming
// of the leaderboard and floods, not a careful attacker spreading requests over windows.
const SCRIPT = `
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 or redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
  if n > tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then ttl = tonumber(ARGV[1]) end
    return ttl
  end
end
return 0`;

export type RateBucket = 'rounds' | 'guesses' | 'tokens';

/** Per-session and per-IP request limits, kept in Redis so every replica counts together. */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly prefix: string;
  private lastWarning = 0;
  private wasReady: boolean;

  constructor(
    @Inject(GAME_REDIS) private readonly redis: Redis & { rateLimit?: (...args: unknown[]) => Promise<number> },
    @Inject(GAME_CONFIG) private readonly config: Config,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:rate`;
    this.wasReady = redis.status === 'ready';
    redis.once('ready', () => (this.wasReady = true));
    if (!redis.rateLimit) redis.defineCommand('rateLimit', { numberOfKeys: 2, lua: SCRIPT });
  }

  /** Counts a request; throws 429 with Retry-After when the session or the IP is over its limit. */
  async take(bucket: RateBucket, playerId: string, ip: string, res: ServerResponse): Promise<void> {
    // Connected before and not now (Redis down or restarting): fail open at once. Sent anyway, the
    // command would wait in the client's offline queue through reconnect attempts (seconds) before
    // failing open, and every round and guess would stall that long (the Redis fault drill,
    // infra/drills). Before the first connection, commands wait for it as before.
    if (this.wasReady && this.redis.status !== 'ready') {
      this.warnUnthrottled(`Redis is ${this.redis.status}`);
      return;
    }
    let waitMs: number;
    try {
      // Each window starts at its key's first request, so no wall-clock boundary doubles a burst.
      waitMs = await this.redis.rateLimit!(
        `${this.prefix}:${bucket}:s:${playerId}`,
        `${this.prefix}:${bucket}:ip:${ip}`,
        WINDOW_MS,
        this.config.GAME_RATE_SESSION_PER_MIN,
        this.config.GAME_RATE_IP_PER_MIN,
      );
    } catch (error) {
      // Redis down: the game goes on unthrottled rather than refusing every player; the
      // readiness probe already reports Redis to the orchestrator.
      this.warnUnthrottled(`Redis failed: ${(error as Error).message}`);
      return;
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `too many ${bucket} from this session or address; try again in ${seconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /** One warning every few seconds while limits are off, not one per request. */
  private warnUnthrottled(why: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`rate limits not applied, ${why}`);
  }
}

import { Logger, type LoggerService } from '@nestjs/common';
import { systemClock, type Clock } from './clock.js';

export interface RateWindowState {
  limit: number | null;
  remaining: number;
  /** Epoch ms when the window starts afresh. */
  resetAt: number;
}

export interface RateWindowOptions {
  /** After a 429 that says nothing about when to come back. */
  defaultBlockMs?: number;
  clock?: Clock;
  logger?: Pick<LoggerService, 'log'>;
}

/** Epoch seconds look like 1.7e9; anything far smaller is the IETF draft's "seconds from now". */
const EPOCH_SECONDS_FLOOR = 1e9;

function int(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : null;
}

/**
 * The rate budget of each account+endpoint as the platform last told it: X's x-rate-limit-* or
 * Bluesky's RateLimit-* headers. Answers how long to hold the next request, so the scheduler never
 * spends a request it knows will be refused.
 */
export class RateWindow {
  private readonly windows = new Map<string, RateWindowState>();
  private readonly defaultBlockMs: number;
  private readonly clock: Clock;
  private readonly logger: Pick<LoggerService, 'log'>;
  private held = 0;

  constructor(options: RateWindowOptions = {}) {
    this.defaultBlockMs = options.defaultBlockMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(RateWindow.name);
  }

  /** Learns from a response (headers lower-case). Responses without rate headers change nothing, unless 429. */
  update(key: string, status: number, headers: Record<string, string>): void {
    const now = this.clock.now();
    const remaining = int(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining']);
    const limit = int(headers['x-rate-limit-limit'] ?? headers['ratelimit-limit']);
    const reset = int(headers['x-rate-limit-reset'] ?? headers['ratelimit-reset']);
    let resetAt = reset === null ? null : reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : now + reset * 1000;
    if (status === 429) {
      resetAt ??= this.retryAfter(headers, now) ?? now + this.defaultBlockMs;
      this.set(key, { limit, remaining: 0, resetAt }, 'rate limited (429)');
      return;
    }
    if (remaining === null || resetAt === null) return;
    this.set(key, { limit, remaining, resetAt }, remaining === 0 ? 'budget spent' : null);
  }

  /** 0 when a request may go now; otherwise the ms until the window resets. */
  waitMs(key: string): number {
    const w = this.current(key);
    if (!w || w.remaining > 0) return 0;
    this.held++;
    return w.resetAt - this.clock.now();
  }

  /**
   * Counts a request against the known budget before its answer arrives, so parallel requests do
   * not all spend the last unit. The next response's headers correct it.
   */
  consume(key: string): void {
    const w = this.current(key);
    if (w && w.remaining > 0) w.remaining--;
  }

  get(key: string): RateWindowState | null {
    const w = this.current(key);
    return w ? { ...w } : null;
  }

  stats(): { windows: number; exhausted: number; held: number } {
    let exhausted = 0;
    for (const key of [...this.windows.keys()]) if (this.current(key)?.remaining === 0) exhausted++;
    return { windows: this.windows.size, exhausted, held: this.held };
  }

  private current(key: string): RateWindowState | null {
    const w = this.windows.get(key);
    if (!w) return null;
    // Past the reset the old numbers say nothing; the next response tells the new budget.
    if (w.resetAt <= this.clock.now()) {
      this.windows.delete(key);
      return null;
    }
    return w;
  }

  private set(key: string, w: RateWindowState, why: string | null): void {
    this.windows.set(key, w);
    if (why) this.logger.log({ msg: 'rate window closed', key, why, limit: w.limit, resetAt: new Date(w.resetAt).toISOString() });
  }

  private retryAfter(headers: Record<string, string>, now: number): number | null {
    const value = headers['retry-after'];
    if (value === undefined) return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return now + seconds * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : date;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Stats } from '@ttt/contracts';
import { StatsRepository } from './stats.repository.js';

/** How long an answer is served as is, and how long a stale one may stand in while a fresh one is read. */
export interface StatsCacheOptions {
  ttlMs: number;
  maxStaleMs: number;
}

export const STATS_CACHE_OPTIONS = Symbol('STATS_CACHE_OPTIONS');
export const DEFAULT_STATS_CACHE: StatsCacheOptions = { ttlMs: 5_000, maxStaleMs: 60_000 };

/** `daily` and `modelDaily` cover this many UTC days, today included. */
export const STATS_DAYS = 90;

/**
 * GET /api/stats's answer, read at most once per `ttlMs` however many ask: callers share the
 * cached answer or the read in flight. Past `ttlMs` the previous answer is still served (up to
 * `maxStaleMs` old) while one read refreshes it, so no request waits on the views (around two
 * seconds at a million guesses, docs/stats.md) except the first, or after a long quiet spell.
 */
@Injectable()
export class StatsService {
  private readonly logger = new Logger(StatsService.name);
  private cached: { stats: Stats; at: number } | null = null;
  private inFlight: Promise<Stats> | null = null;

  constructor(
    @Inject(StatsRepository) private readonly repository: StatsRepository,
    @Inject(STATS_CACHE_OPTIONS) private readonly options: StatsCacheOptions,
  ) {}

  get(): Promise<Stats> {
    const age = this.cached ? Date.now() - this.cached.at : Number.POSITIVE_INFINITY;
    if (this.cached && age < this.options.ttlMs) return Promise.resolve(this.cached.stats);
    const refresh = this.inFlight ?? this.refresh();
    if (this.cached && age < this.options.maxStaleMs) return Promise.resolve(this.cached.stats);
    return refresh;
  }

  private refresh(): Promise<Stats> {
    const startedAt = Date.now();
    const read = this.repository.read(STATS_DAYS).then((stats) => {
      // Its age counts from when the read began: the snapshot is no newer than that.
      this.cached = { stats, at: startedAt };
      return stats;
    });
    this.inFlight = read;
    // Handled here as well, so that a background refresh nobody awaits never goes unhandled;
    // a caller awaiting `read` still gets the error.
    read
      .catch((error: Error) => this.logger.warn(`reading the stats views failed: ${error.message}`))
      .finally(() => {
        if (this.inFlight === read) this.inFlight = null;
      });
    return read;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Leaderboard, LeaderboardEntry, Period } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';

export type Standing = NonNullable<Leaderboard['you']>;

const TOP = 20;
const TTL_MS = 5_000;

// Correct guesses in the edition, then accuracy: a player who guessed 30 right of 40 ranks
// above one who guessed 30 of 60.
const RANKED = `
  SELECT g.player_id, count(*) FILTER (WHERE g.correct)::int AS correct, count(*)::int AS played
  FROM guesses g JOIN rounds r ON r.id = g.round_id
  WHERE r.category_id = $1 AND g.player_id IS NOT NULL
    -- The UTC day computed by Postgres, like the stats views: a Date from Node would carry
    -- Node's zone into a column that has none.
    AND ($2::text = 'all' OR g.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC'))
  GROUP BY g.player_id`;

@Injectable()
export class LeaderboardRepository {
  private readonly cache = new Map<string, { at: number; entries: Promise<LeaderboardEntry[]> }>();

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /** The top players; cached for a few seconds, so a busy page costs one aggregate per edition and period. */
  top(categoryId: number, period: Period): Promise<LeaderboardEntry[]> {
    const key = `${categoryId}:${period}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.entries;
    const entries = this.loadTop(categoryId, period);
    this.cache.set(key, { at: Date.now(), entries });
    entries.catch(() => this.cache.delete(key));
    return entries;
  }

  /** The player's own place, or null before their first guess in the edition and period. */
  async standing(categoryId: number, period: Period, playerId: string): Promise<Standing | null> {
    const { rows } = await this.pool.query(
      `WITH ranked AS (${RANKED}), me AS (SELECT * FROM ranked WHERE player_id = $3)
       SELECT me.correct, me.played,
              1 + (SELECT count(*) FROM ranked o WHERE o.correct > me.correct OR (o.correct = me.correct AND o.correct::float8 / o.played > me.correct::float8 / me.played))::int AS rank
       FROM me`,
      [categoryId, period, playerId],
    );
    return rows[0] ? { rank: rows[0].rank, correct: rows[0].correct, played: rows[0].played } : null;
  }

  private async loadTop(categoryId: number, period: Period): Promise<LeaderboardEntry[]> {
    const { rows } = await this.pool.query(
      `WITH ranked AS (${RANKED})
       SELECT COALESCE(p.nickname, 'anonymous') AS nickname, ranked.correct, ranked.played,
              -- Ties share a rank, as standing() counts it: 1 + players strictly ahead.
              rank() OVER (ORDER BY ranked.correct DESC, ranked.correct::float8 / ranked.played DESC)::int AS rank
       FROM ranked JOIN players p ON p.id = ranked.player_id
       ORDER BY ranked.correct DESC, ranked.correct::float8 / ranked.played DESC, p.created_at
       LIMIT ${TOP}`,
      [categoryId, period],
    );
    return rows.map((r) => ({ rank: r.rank, nickname: r.nickname, correct: r.correct, played: r.played, accuracy: round3(r.correct / r.played) }));
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

import { Inject, Injectable } from '@nestjs/common';
import type { DailyEditionStats, DailyModelStats, EditionStats, ModelStats, Stats } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';

// The last `days` UTC days, today included. guesses.created_at holds UTC without a zone, so the
// cutoff is today's UTC date whatever the session's TimeZone. The view's day is a grouping
// column: Postgres pushes the condition down to the scan of guesses.
const SINCE = `day >= (now() AT TIME ZONE 'UTC')::date - ($1::int - 1)`;

/** Reads the stats_* views (prisma/migrations/20261129100000_game_stats_views, docs/stats.md). */
@Injectable()
export class StatsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /**
   * All four parts from one snapshot, so the per-day figures add up to the totals, on one
   * connection: the reads take a while on a big table and must not crowd the game's queries
   * out of the pool.
   */
  async read(days: number): Promise<Stats> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query("SET LOCAL statement_timeout = '30s'");
      const editions = await client.query(
        'SELECT slug, name, guesses, correct, accuracy FROM stats_edition_accuracy ORDER BY slug',
      );
      const models = await client.query(
        'SELECT slug, version, model_version_id, guesses, fooled, fool_rate FROM stats_model_fool_rate ORDER BY slug, version, model_version_id',
      );
      const daily = await client.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, slug, guesses, correct, accuracy
           FROM stats_daily_accuracy WHERE ${SINCE} ORDER BY day, slug`,
        [days],
      );
      const modelDaily = await client.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, slug, version, model_version_id, guesses, fooled, fool_rate
           FROM stats_model_daily_fool_rate WHERE ${SINCE} ORDER BY day, slug, version, model_version_id`,
        [days],
      );
      await client.query('COMMIT');
      return {
        editions: editions.rows.map((r) => ({ slug: r.slug, name: r.name, ...accuracyOf(r) })),
        models: models.rows.map(foolingOf),
        daily: daily.rows.map((r) => ({ day: r.day, edition: r.slug, ...accuracyOf(r) })),
        modelDaily: modelDaily.rows.map((r) => ({ day: r.day, ...foolingOf(r) })),
      };
    } catch (error) {
      // A connection that cannot even roll back is dropped rather than handed to the next caller.
      await client.query('ROLLBACK').catch(() => {
        broken = error as Error;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

// count(*) comes back as a bigint string and the rates as numeric strings.
function accuracyOf(r: Record<string, string>): Pick<EditionStats, 'guesses' | 'correct' | 'accuracy'> {
  return { guesses: Number(r.guesses), correct: Number(r.correct), accuracy: Number(r.accuracy) };
}

function foolingOf(r: Record<string, any>): ModelStats {
  return { category: r.slug, version: r.version, versionId: r.model_version_id, guesses: Number(r.guesses), fooled: Number(r.fooled), foolRate: Number(r.fool_rate) };
}

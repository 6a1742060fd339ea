import { Inject, Injectable } from '@nestjs/common';
import type { Player } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';

@Injectable()
export class PlayersRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /** Creates the player row if it is not there (a new session, or a cookie older than the database). */
  async ensure(id: string): Promise<void> {
    await this.pool.query('INSERT INTO players (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [id]);
  }

  async get(id: string): Promise<Player | null> {
    const { rows } = await this.pool.query(
      'UPDATE players SET last_seen_at = now() WHERE id = $1 RETURNING nickname, score, streak, best_streak, rounds_played',
      [id],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async setNickname(id: string, nickname: string): Promise<Player | null> {
    const { rows } = await this.pool.query(
      'UPDATE players SET nickname = $2, last_seen_at = now() WHERE id = $1 RETURNING nickname, score, streak, best_streak, rounds_played',
      [id, nickname],
    );
    return rows[0] ? toView(rows[0]) : null;
  }
}

function toView(row: { nickname: string | null; score: number; streak: number; best_streak: number; rounds_played: number }): Player {
  return { nickname: row.nickname, score: row.score, streak: row.streak, bestStreak: row.best_streak, roundsPlayed: row.rounds_played };
}

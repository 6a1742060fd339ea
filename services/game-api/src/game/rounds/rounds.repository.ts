import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';
import type { Player } from '@ttt/contracts';
import { Coalescer } from './coalescer.js';
import type { TweetCandidate } from './tweet-candidate.js';

export interface NewRound {
  id: string;
  playerId: string;
  categoryId: number;
  candidate: TweetCandidate;
  expiresAt: Date;
}

export type GuessOutcome =
  | { kind: 'not_found' }
  | { kind: 'not_yours' }
  | { kind: 'already_guessed' }
  | { kind: 'expired' }
  | { kind: 'guessed'; correct: boolean; truth: 'human' | 'machine'; player: Player; reveal: RevealRow };

export interface RevealRow {
  slug: string;
  authorHandle: string | null;
  authorName: string | null;
  url: string | null;
  platform: string | null;
  platformId: string | null;
  likes: number | null;
  retweets: number | null;
  tweetedAt: Date | null;
  sampling: Record<string, unknown> | null;
  generatedAt: Date | null;
  modelVersion: number | null;
  modelVersionId: number | null;
}

// One statement for a batch of guesses, one round trip and one commit: a guess is stored only
// if its round exists, is the asker's, has not expired and has no guess yet (the unique
// round_id settles a race between two tabs), and the player's score moves only when it was.
// A batch holds at most one guess per player and per round (the writer sees to it), so each
// player row is updated once per statement.
const GUESS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::"Author"[], $3::uuid[]) WITH ORDINALITY AS i(round_id, guess, asker, ord)
), r AS (
  -- A join on the unique round_id, not EXISTS: Postgres may plan EXISTS as one hashed scan of
  -- every guess ever made, and a prepared statement keeps that plan as the table grows.
  SELECT i.ord, i.guess, i.asker, rd.id, rd.player_id, rd.truth, rd.expires_at, rd.category_id, rd.tweet_id, rd.generated_tweet_id, rd.model_version_id,
         earlier.round_id IS NOT NULL AS guessed
  FROM input i LEFT JOIN rounds rd ON rd.id = i.round_id LEFT JOIN guesses earlier ON earlier.round_id = rd.id
), ins AS (
  INSERT INTO guesses (round_id, player_id, guess, correct)
  SELECT r.id, r.player_id, r.guess, r.truth = r.guess FROM r
  WHERE r.id IS NOT NULL AND r.player_id = r.asker AND r.expires_at > now() AND NOT r.guessed
  ON CONFLICT (round_id) DO NOTHING
  RETURNING round_id, player_id, correct
), upd AS (
  UPDATE players p SET
    score = p.score + CASE WHEN ins.correct THEN 1 ELSE 0 END,
    streak = CASE WHEN ins.correct THEN p.streak + 1 ELSE 0 END,
    best_streak = GREATEST(p.best_streak, CASE WHEN ins.correct THEN p.streak + 1 ELSE 0 END),
    rounds_played = p.rounds_played + 1,
    last_seen_at = now()
  FROM ins WHERE p.id = ins.player_id
  RETURNING p.id, p.nickname, p.score, p.streak, p.best_streak, p.rounds_played
)
SELECT r.ord, r.id IS NOT NULL AS found, r.player_id, r.truth, r.guessed, r.expires_at <= now() AS expired,
       ins.correct, row_to_json(upd) AS player,
       c.slug, t.author_handle, t.author_name, t.url, t.platform, t.platform_id, t.like_count, t.retweet_count, t.tweeted_at,
       g.sampling, g.created_at AS generated_at, mv.version AS model_version, mv.id AS model_version_id
FROM r
LEFT JOIN ins ON ins.round_id = r.id
LEFT JOIN upd ON upd.id = ins.player_id
LEFT JOIN categories c ON c.id = r.category_id
LEFT JOIN tweets t ON t.id = r.tweet_id
LEFT JOIN generated_tweets g ON g.id = r.generated_tweet_id
LEFT JOIN model_versions mv ON mv.id = r.model_version_id
ORDER BY r.ord`;

interface GuessInput {
  roundId: string;
  playerId: string;
  guess: 'human' | 'machine';
}

@Injectable()
export class RoundsRepository {
  private readonly writer: Coalescer<NewRound>;
  private readonly guesses: Coalescer<GuessInput, GuessOutcome>;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {
    this.writer = new Coalescer<NewRound, void>(async (rounds) => {
      await this.insertMany(rounds);
      return rounds.map(() => undefined);
    });
    this.guesses = new Coalescer((inputs) => this.guessMany(inputs), { keysOf: (g) => [`p:${g.playerId}`, `r:${g.roundId}`] });
  }

  /** Stores a dealt round; resolves once it is committed, so a guess can never arrive first. */
  insert(round: NewRound): Promise<void> {
    return this.writer.write(round);
  }

  /** Stores a guess and moves the player's score, or says why it was refused. */
  guess(roundId: string, playerId: string, guess: 'human' | 'machine'): Promise<GuessOutcome> {
    return this.guesses.write({ roundId, playerId, guess });
  }

  private async guessMany(inputs: GuessInput[]): Promise<GuessOutcome[]> {
    // Named, so each connection plans the statement once instead of on every batch.
    const { rows } = await this.pool.query({
      name: 'game-guess',
      text: GUESS_SQL,
      values: [inputs.map((g) => g.roundId), inputs.map((g) => g.guess), inputs.map((g) => g.playerId)],
    });
    return rows.map((row, i) => outcomeOf(row, inputs[i]!.playerId));
  }

  /** What the token colouring needs of a round, and whether it may be shown yet. */
  async forTokens(roundId: string): Promise<{ guessed: boolean; text: string; slug: string; modelVersion: number | null } | null> {
    const { rows } = await this.pool.query(
      `SELECT r.text, c.slug, mv.version AS model_version, g.round_id IS NOT NULL AS guessed
       FROM rounds r JOIN categories c ON c.id = r.category_id LEFT JOIN model_versions mv ON mv.id = r.model_version_id
       LEFT JOIN guesses g ON g.round_id = r.id
       WHERE r.id = $1`,
      [roundId],
    );
    const row = rows[0];
    return row ? { guessed: row.guessed, text: row.text, slug: row.slug, modelVersion: row.model_version } : null;
  }

  private async insertMany(rounds: NewRound[]): Promise<void> {
    const col = <V>(f: (r: NewRound) => V) => rounds.map(f);
    await this.pool.query({
      name: 'game-insert-rounds',
      text: `INSERT INTO rounds (id, player_id, category_id, truth, tweet_id, generated_tweet_id, model_version_id, text, expires_at)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[], $4::"Author"[], $5::bigint[], $6::bigint[], $7::int[], $8::text[], $9::timestamptz[])`,
      values: [
        col((r) => r.id),
        col((r) => r.playerId),
        col((r) => r.categoryId),
        col((r) => r.candidate.truth),
        col((r) => (r.candidate.truth === 'human' ? r.candidate.tweetId : null)),
        col((r) => (r.candidate.truth === 'machine' ? r.candidate.generatedTweetId : null)),
        col((r) => (r.candidate.truth === 'machine' ? r.candidate.modelVersionId : null)),
        col((r) => r.candidate.text),
        col((r) => r.expiresAt),
      ],
    });
  }
}

function outcomeOf(row: Record<string, any>, playerId: string): GuessOutcome {
  if (!row.found) return { kind: 'not_found' };
  if (row.player_id !== playerId) return { kind: 'not_yours' };
  if (row.correct === null || row.player === null) {
    if (row.guessed) return { kind: 'already_guessed' };
    // Not stored, not guessed before this statement: expired, or another request's guess won.
    return row.expired ? { kind: 'expired' } : { kind: 'already_guessed' };
  }
  const p = row.player;
  return {
    kind: 'guessed',
    correct: row.correct,
    truth: row.truth,
    player: { nickname: p.nickname, score: p.score, streak: p.streak, bestStreak: p.best_streak, roundsPlayed: p.rounds_played },
    reveal: {
      slug: row.slug,
      authorHandle: row.author_handle,
      authorName: row.author_name,
      url: row.url,
      platform: row.platform,
      platformId: row.platform_id,
      likes: row.like_count,
      retweets: row.retweet_count,
      tweetedAt: row.tweeted_at,
      sampling: row.sampling,
      generatedAt: row.generated_at,
      modelVersion: row.model_version,
      modelVersionId: row.model_version_id,
    },
  };
}

// The JSON shapes of the game's HTTP API (docs/game-api.md): game-api answers them and the web
// app reads them, so both compile against one definition.

export type Kind = 'human' | 'machine';

/** A player as GET /api/me and PUT /api/me answer. */
export interface Player {
  nickname: string | null;
  score: number;
  streak: number;
  bestStreak: number;
  roundsPlayed: number;
}

export type PlayerScore = Omit<Player, 'nickname'>;

export interface Edition {
  slug: string;
  name: string;
  description: string | null;
}

/** All a client knows of a round until its guess is answered. */
export interface Round {
  id: string;
  category: string;
  text: string;
  expiresAt: string;
}

export interface HumanReveal {
  kind: 'human';
  author: { handle: string; name: string | null };
  /** Null for a source whose posts have no web address. */
  url: string | null;
  likes: number;
  retweets: number;
  tweetedAt: string;
}

export interface MachineReveal {
  kind: 'machine';
  model: { name: string; version: number; versionId: number };
  sampling: Record<string, unknown>;
  generatedAt: string;
}

export interface GuessResult {
  correct: boolean;
  guess: Kind;
  truth: Kind;
  player: PlayerScore;
  reveal: HumanReveal | MachineReveal;
}

export interface ScoredToken {
  text: string;
  probability: number;
  rank: number;
}

export interface TokenScores {
  model: string;
  tokens: ScoredToken[];
}

export type Period = 'today' | 'all';

export interface LeaderboardEntry {
  rank: number;
  nickname: string;
  correct: number;
  played: number;
  accuracy: number;
}

export interface Leaderboard {
  edition: string;
  period: Period;
  entries: LeaderboardEntry[];
  you: { rank: number; correct: number; played: number } | null;
}

export interface EditionStats {
  slug: string;
  name: string;
  guesses: number;
  correct: number;
  accuracy: number;
}

export interface ModelStats {
  category: string;
  version: number;
  versionId: number;
  guesses: number;
  fooled: number;
  foolRate: number;
}

export interface DailyEditionStats {
  day: string;
  edition: string;
  guesses: number;
  correct: number;
  accuracy: number;
}

export interface DailyModelStats extends ModelStats {
  day: string;
}

export interface Stats {
  editions: EditionStats[];
  models: ModelStats[];
  daily: DailyEditionStats[];
  modelDaily: DailyModelStats[];
}

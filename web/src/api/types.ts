// The shapes of docs/game-api.md, shared with game-api.
export type { Kind, Player, PlayerScore, Edition, Round, HumanReveal, MachineReveal, GuessResult, ScoredToken, TokenScores, Period, LeaderboardEntry, Leaderboard, EditionStats, ModelStats, DailyEditionStats, DailyModelStats, Stats } from '@ttt/contracts';

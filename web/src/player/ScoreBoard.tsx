import { usePlayer } from './PlayerContext';

export function ScoreBoard() {
  const { player } = usePlayer();
  const show = (n: number | undefined) => (n === undefined ? '–' : String(n));
  return (
    <dl className="scoreboard" aria-label="Your score">
      <div className="scoreboard__item">
        <dt>Score</dt>
        <dd data-testid="score">{show(player?.score)}</dd>
      </div>
      <div className="scoreboard__item">
        <dt>Streak</dt>
        <dd data-testid="streak">{show(player?.streak)}</dd>
      </div>
      <div className="scoreboard__item">
        <dt>Best streak</dt>
        <dd data-testid="best-streak">{show(player?.bestStreak)}</dd>
      </div>
    </dl>
  );
}

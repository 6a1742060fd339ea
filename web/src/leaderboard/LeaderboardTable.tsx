import type { Leaderboard, LeaderboardEntry } from '../api/types';
import { formatCount, formatPercent } from '../common/format';

/**
 * `you` carries no nickname or id, so "your" row is the entry at your rank with your counts;
 * when you are ranked below the listed entries you get a row of your own under them.
 */
export function isYou(entry: LeaderboardEntry, you: Leaderboard['you']): boolean {
  return you !== null && entry.rank === you.rank && entry.correct === you.correct && entry.played === you.played;
}

export function LeaderboardTable({ board, caption }: { board: Leaderboard; caption: string }) {
  const youListed = board.entries.some((e) => isYou(e, board.you));
  return (
    <div className="table-scroll">
      <table className="table leaderboard" data-testid="leaderboard-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              <span aria-hidden="true">#</span>
              <span className="visually-hidden">Rank</span>
            </th>
            <th scope="col">Player</th>
            <th scope="col" className="num">
              Correct
            </th>
            <th scope="col" className="num">
              Played
            </th>
            <th scope="col" className="num">
              Accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          {board.entries.length === 0 && (
            <tr>
              <td colSpan={5} className="table__empty">
                No guesses yet{board.period === 'today' ? ' today' : ''}. Be the first.
              </td>
            </tr>
          )}
          {board.entries.map((entry) => {
            const you = isYou(entry, board.you);
            return (
              <tr key={`${entry.rank}-${entry.nickname}`} className={you ? 'leaderboard__you' : undefined} aria-current={you ? 'true' : undefined} data-testid={you ? 'leaderboard-you' : undefined}>
                <td className="num">{entry.rank}</td>
                <th scope="row">
                  {entry.nickname}
                  {you && <span className="badge">you</span>}
                </th>
                <td className="num">{formatCount(entry.correct)}</td>
                <td className="num">{formatCount(entry.played)}</td>
                <td className="num">{formatPercent(entry.accuracy)}</td>
              </tr>
            );
          })}
          {board.you && !youListed && (
            <tr className="leaderboard__you leaderboard__you--apart" aria-current="true" data-testid="leaderboard-you">
              <td className="num">{board.you.rank}</td>
              <th scope="row">
                <span className="badge">you</span>
              </th>
              <td className="num">{formatCount(board.you.correct)}</td>
              <td className="num">{formatCount(board.you.played)}</td>
              <td className="num">{board.you.played > 0 ? formatPercent(board.you.correct / board.you.played) : '–'}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

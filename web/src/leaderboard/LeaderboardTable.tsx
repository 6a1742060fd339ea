import type { Leaderboard, LeaderboardEntry } from '../api/types';
import { DataTable, type Column, type RowAttributes } from '../common/DataTable';
import { formatCount, formatPercent } from '../common/format';

/**
 * `you` carries no nickname or id, so "your" row is the entry at your rank with your counts;
 * when you are ranked below the listed entries you get a row of your own under them.
 */
export function isYou(entry: LeaderboardEntry, you: Leaderboard['you']): boolean {
  return you !== null && entry.rank === you.rank && entry.correct === you.correct && entry.played === you.played;
}

/** An entry, or your own row under the entries (no nickname; accuracy null before your first guess). */
interface Row {
  key: string;
  rank: number;
  nickname: string | null;
  correct: number;
  played: number;
  accuracy: number | null;
  you: boolean;
  apart: boolean;
}

const columns: Column<Row>[] = [
  {
    header: (
      <>
        <span aria-hidden="true">#</span>
        <span className="visually-hidden">Rank</span>
      </>
    ),
    numeric: true,
    cell: (row) => row.rank,
  },
  {
    header: 'Player',
    rowHeader: true,
    cell: (row) => (
      <>
        {row.nickname}
        {row.you && <span className="badge">you</span>}
      </>
    ),
  },
  { header: 'Correct', numeric: true, cell: (row) => formatCount(row.correct) },
  { header: 'Played', numeric: true, cell: (row) => formatCount(row.played) },
  { header: 'Accuracy', numeric: true, cell: (row) => (row.accuracy === null ? '–' : formatPercent(row.accuracy)) },
];

function rowAttributes(row: Row): RowAttributes {
  if (!row.you) return {};
  return { className: row.apart ? 'leaderboard__you leaderboard__you--apart' : 'leaderboard__you', 'aria-current': 'true', 'data-testid': 'leaderboard-you' };
}

export function LeaderboardTable({ board, caption }: { board: Leaderboard; caption: string }) {
  const rows: Row[] = board.entries.map((entry) => ({ ...entry, key: `${entry.rank}-${entry.nickname}`, you: isYou(entry, board.you), apart: false }));
  const { you } = board;
  if (you && !rows.some((row) => row.you)) {
    rows.push({ ...you, key: 'you', nickname: null, accuracy: you.played > 0 ? you.correct / you.played : null, you: true, apart: true });
  }
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(row) => row.key}
      caption={caption}
      className="leaderboard"
      testId="leaderboard-table"
      note={board.entries.length === 0 && `No guesses yet${board.period === 'today' ? ' today' : ''}. Be the first.`}
      rowAttributes={rowAttributes}
    />
  );
}

import { useState } from 'react';
import { getLeaderboard } from '../api/endpoints';
import type { Period } from '../api/types';
import { BusyNotice } from '../common/BusyNotice';
import { ErrorMessage } from '../common/ErrorMessage';
import { useEdition } from '../common/useEdition';
import { useEditions } from '../common/useEditions';
import { useResource } from '../common/useResource';
import { EditionPicker } from '../game/EditionPicker';
import { NicknameForm } from '../player/NicknameForm';
import { usePlayer } from '../player/PlayerContext';
import { LeaderboardTable } from './LeaderboardTable';
import { PeriodToggle } from './PeriodToggle';

export function LeaderboardPage() {
  const { sessionReady } = usePlayer();
  const editions = useEditions();
  const [edition, chooseEdition] = useEdition(editions.data);
  const [period, setPeriod] = useState<Period>('today');
  const board = useResource((o) => getLeaderboard(edition!, period, o), `${edition}/${period}`, sessionReady && edition !== null);
  const editionName = editions.data?.find((e) => e.slug === edition)?.name ?? '';

  return (
    <section className="page" aria-labelledby="leaderboard-heading">
      <h2 id="leaderboard-heading">Leaderboard</h2>
      <div className="toolbar">
        {editions.data && edition && <EditionPicker editions={editions.data} value={edition} onChange={chooseEdition} testId="leaderboard-edition" />}
        <PeriodToggle value={period} onChange={setPeriod} />
      </div>
      {editions.error && <ErrorMessage error={editions.error} onRetry={editions.reload} />}
      <BusyNotice busy={board.busy ?? editions.busy} />
      {board.error && <ErrorMessage error={board.error} onRetry={board.reload} />}
      {board.data ? (
        <div className={board.loading ? 'is-stale' : undefined} aria-busy={board.loading}>
          <LeaderboardTable board={board.data} caption={`${editionName}, ${period === 'today' ? 'today' : 'all time'}: ranked by correct guesses, then accuracy`} />
        </div>
      ) : (
        !board.error && !editions.error && <div className="skeleton-block" role="status" aria-label="Loading the leaderboard" />
      )}
      <NicknameForm />
    </section>
  );
}

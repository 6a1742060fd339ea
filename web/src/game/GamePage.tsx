import { useCallback, useEffect, useRef } from 'react';
import type { GuessResult, Kind } from '../api/types';
import { BusyNotice } from '../common/BusyNotice';
import { ErrorMessage } from '../common/ErrorMessage';
import { useEdition } from '../common/useEdition';
import { useEditions } from '../common/useEditions';
import { usePlayer } from '../player/PlayerContext';
import { ScoreBoard } from '../player/ScoreBoard';
import { EditionPicker } from './EditionPicker';
import { GuessButtons } from './GuessButtons';
import { Reveal } from './Reveal';
import { SkeletonCard } from './SkeletonCard';
import { TweetCard } from './TweetCard';
import { useGameKeys } from './useGameKeys';
import { useRound } from './useRound';

export function GamePage() {
  const { updateScore } = usePlayer();
  const editions = useEditions();
  const [edition, chooseEdition] = useEdition(editions.data);
  const onGuessed = useCallback((result: GuessResult) => updateScore(result.player), [updateScore]);
  const { state, busy, newRound, guess, next, retry } = useRound(onGuessed);

  const cardRef = useRef<HTMLElement>(null);
  const revealHeadingRef = useRef<HTMLHeadingElement>(null);
  // Focus follows the player's own moves only: not on page load, and not when a new edition
  // is picked (arrowing through the picker would otherwise be yanked to the card).
  const focusNext = useRef<'reveal' | 'card' | null>(null);

  useEffect(() => {
    if (edition) newRound(edition);
  }, [edition, newRound]);

  useEffect(() => {
    if (state.phase === 'revealed' && focusNext.current === 'reveal') revealHeadingRef.current?.focus();
    else if (state.phase === 'ready' && focusNext.current === 'card') cardRef.current?.focus();
    else return;
    focusNext.current = null;
  }, [state]);

  const onGuess = (kind: Kind) => {
    focusNext.current = 'reveal';
    void guess(kind);
  };
  const onNext = () => {
    focusNext.current = 'card';
    next();
  };

  useGameKeys({
    onGuess: state.phase === 'ready' ? onGuess : undefined,
    onNext: state.phase === 'revealed' ? onNext : undefined,
  });

  const editionName = editions.data?.find((e) => e.slug === edition)?.name ?? edition ?? '';
  const round = 'round' in state ? state.round : undefined;
  const result = state.phase === 'revealed' ? state.result : undefined;
  const showSkeleton = (state.phase === 'idle' || state.phase === 'loading') && !editions.error && editions.data?.length !== 0;

  return (
    <div className="game">
      <div className="game__bar">
        {editions.data && edition && <EditionPicker editions={editions.data} value={edition} onChange={chooseEdition} />}
        <ScoreBoard />
      </div>

      {/* Present from the start so that screen readers pick up what is later written into it. */}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {result && (result.correct ? `Correct! It was written by a ${result.truth}.` : `Wrong. It was written by a ${result.truth}.`)}
      </div>

      {editions.error && <ErrorMessage error={editions.error} onRetry={editions.reload} />}
      {editions.data?.length === 0 && <p className="notice">No edition has a model to play against yet. Come back soon.</p>}
      <BusyNotice busy={busy ?? editions.busy} />

      {round ? <TweetCard key={round.id} ref={cardRef} text={round.text} result={result} /> : showSkeleton && <SkeletonCard />}

      {state.phase === 'error' && <ErrorMessage error={state.error} onRetry={retry} retryLabel={state.guess ? 'Send my guess again' : 'Deal a new tweet'} />}

      {(state.phase === 'ready' || state.phase === 'guessing') && (
        <GuessButtons onGuess={onGuess} disabled={state.phase === 'guessing'} pending={state.phase === 'guessing' ? state.guess : undefined} />
      )}

      {state.phase === 'revealed' && <Reveal round={state.round} result={state.result} editionName={editionName} headingRef={revealHeadingRef} onNext={onNext} />}
    </div>
  );
}

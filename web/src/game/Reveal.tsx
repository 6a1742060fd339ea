import type { Ref } from 'react';
import type { GuessResult, Round } from '../api/types';
import { RevealDetails } from './RevealDetails';
import { ShareButtons } from './ShareButtons';
import { TokenColouring } from './TokenColouring';

interface Props {
  round: Round;
  result: GuessResult;
  editionName: string;
  headingRef: Ref<HTMLHeadingElement>;
  onNext: () => void;
}

export function Reveal({ round, result, editionName, headingRef, onNext }: Props) {
  return (
    <section className="reveal" data-testid="reveal" aria-labelledby="reveal-heading">
      <h2 id="reveal-heading" ref={headingRef} tabIndex={-1} className={`banner banner--${result.correct ? 'correct' : 'wrong'}`}>
        <span className="banner__verdict">{result.correct ? 'Correct!' : 'Not quite.'}</span>{' '}
        <span>
          It was written by a <strong data-testid="reveal-truth">{result.truth}</strong>.
        </span>
      </h2>
      <button type="button" className="button button--primary button--next" onClick={onNext} aria-keyshortcuts="Enter N Space" data-testid="next-round">
        Next tweet <kbd className="button__hint" aria-hidden="true">Enter</kbd>
      </button>
      <RevealDetails reveal={result.reveal} />
      <TokenColouring roundId={round.id} />
      <ShareButtons score={result.player.score} bestStreak={result.player.bestStreak} editionName={editionName} />
    </section>
  );
}

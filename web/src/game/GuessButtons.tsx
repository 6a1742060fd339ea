import type { Kind } from '../api/types';

interface Props {
  onGuess: (kind: Kind) => void;
  disabled: boolean;
  pending?: Kind;
}

export function GuessButtons({ onGuess, disabled, pending }: Props) {
  return (
    <div className="guess-buttons" role="group" aria-label="Who wrote it?">
      <button
        type="button"
        className="button button--guess button--human"
        onClick={() => onGuess('human')}
        disabled={disabled}
        aria-keyshortcuts="H ArrowLeft"
        data-testid="guess-human"
      >
        <span className="button__label">{pending === 'human' ? 'Checking…' : 'Human'}</span>
        <kbd className="button__hint" aria-hidden="true">H / ←</kbd>
      </button>
      <button
        type="button"
        className="button button--guess button--machine"
        onClick={() => onGuess('machine')}
        disabled={disabled}
        aria-keyshortcuts="M ArrowRight"
        data-testid="guess-machine"
      >
        <span className="button__label">{pending === 'machine' ? 'Checking…' : 'Machine'}</span>
        <kbd className="button__hint" aria-hidden="true">M / →</kbd>
      </button>
    </div>
  );
}

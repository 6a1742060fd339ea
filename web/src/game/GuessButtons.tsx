import type { Kind } from '../api/types';

interface Props {
  onGuess: (kind: Kind) => void;
  disabled: boolean;
  pending?: Kind;
}

// The keys are the ones useGameKeys listens for.
const GUESSES: { kind: Kind; label: string; keys: string; hint: string }[] = [
  { kind: 'human', label: 'Human', keys: 'H ArrowLeft', hint: 'H / ←' },
  { kind: 'machine', label: 'Machine', keys: 'M ArrowRight', hint: 'M / →' },
];

export function GuessButtons({ onGuess, disabled, pending }: Props) {
  return (
    <div className="guess-buttons" role="group" aria-label="Who wrote it?">
      {GUESSES.map(({ kind, label, keys, hint }) => (
        <button
          key={kind}
          type="button"
          className={`button button--guess button--${kind}`}
          onClick={() => onGuess(kind)}
          disabled={disabled}
          aria-keyshortcuts={keys}
          data-testid={`guess-${kind}`}
        >
          <span className="button__label">{pending === kind ? 'Checking…' : label}</span>
          <kbd className="button__hint" aria-hidden="true">
            {hint}
          </kbd>
        </button>
      ))}
    </div>
  );
}

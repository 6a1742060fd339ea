import { useEffect, useRef } from 'react';
import type { Kind } from '../api/types';

interface Handlers {
  onGuess?: (kind: Kind) => void;
  onNext?: () => void;
}

const TEXT_ENTRY = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
// Enter and Space already activate these; handling the key as well would act twice.
const ACTIVATED_BY_KEYS = new Set(['BUTTON', 'A', 'SUMMARY']);

/**
 * H / ← guesses human, M / → machine, Enter / N / Space deals the next tweet. A handler
 * left undefined switches its keys off (no guessing twice, no skipping an unguessed tweet).
 */
export function useGameKeys(handlers: Handlers) {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target && (TEXT_ENTRY.has(target.tagName) || target.isContentEditable)) return;
      const { onGuess, onNext } = latest.current;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (onGuess && (key === 'h' || key === 'ArrowLeft')) {
        event.preventDefault();
        onGuess('human');
      } else if (onGuess && (key === 'm' || key === 'ArrowRight')) {
        event.preventDefault();
        onGuess('machine');
      } else if (onNext && (key === 'n' || key === 'Enter' || key === ' ')) {
        if (key !== 'n' && target && ACTIVATED_BY_KEYS.has(target.tagName)) return;
        event.preventDefault();
        onNext();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

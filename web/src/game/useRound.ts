import { useCallback, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../api/ApiError';
import type { BusyState } from '../api/client';
import { createRound, guessRound } from '../api/endpoints';
import type { GuessResult, Kind, Round } from '../api/types';

export type RoundState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'ready'; round: Round }
  | { phase: 'guessing'; round: Round; guess: Kind }
  | { phase: 'revealed'; round: Round; result: GuessResult }
  // `round` is kept when the guess failed, so trying again can resend it.
  | { phase: 'error'; error: ApiError; round?: Round; guess?: Kind };

/**
 * One round at a time: dealing, guessing, revealing. The state the handlers read is a ref
 * updated with each change, so a double click or a held key sees the first press's effect
 * before React re-renders, and round creation is never in flight twice.
 */
export function useRound(onGuessed: (result: GuessResult) => void) {
  const [state, setState] = useState<RoundState>({ phase: 'idle' });
  const [busy, setBusy] = useState<BusyState | null>(null);
  const current = useRef<RoundState>(state);
  const wantedCategory = useRef<string | null>(null);
  const dealing = useRef(false);

  const set = useCallback((next: RoundState) => {
    current.current = next;
    setState(next);
  }, []);

  const deal = useCallback(async () => {
    dealing.current = true;
    try {
      // The edition can change while a round is being dealt: deal again for the new one
      // (after, not alongside) and drop the stale round.
      for (;;) {
        const category = wantedCategory.current;
        if (category === null) return;
        set({ phase: 'loading' });
        try {
          const round = await createRound(category, { onBusy: setBusy });
          if (wantedCategory.current !== category) continue;
          set({ phase: 'ready', round });
        } catch (error) {
          if (wantedCategory.current !== category) continue;
          set({ phase: 'error', error: asApiError(error) });
        }
        return;
      }
    } finally {
      dealing.current = false;
    }
  }, [set]);

  /** Deals a round of `category`, unless one is already being dealt (then that one will be for `category`). */
  const newRound = useCallback(
    (category: string) => {
      wantedCategory.current = category;
      if (!dealing.current) void deal();
    },
    [deal],
  );

  const guess = useCallback(
    async (kind: Kind) => {
      const s = current.current;
      const round = s.phase === 'ready' || (s.phase === 'error' && s.guess) ? s.round : undefined;
      if (!round) return;
      set({ phase: 'guessing', round, guess: kind });
      try {
        const result = await guessRound(round.id, kind, { onBusy: setBusy });
        onGuessed(result);
        // The player may have switched editions meanwhile: the score counts, the reveal is stale.
        if (isGuessing(current.current, round)) set({ phase: 'revealed', round, result });
      } catch (error) {
        if (!isGuessing(current.current, round)) return;
        const e = asApiError(error);
        // Only a guess that never landed may be sent again; a refused one (expired, already
        // guessed, unknown) needs a new round.
        set(e.transient ? { phase: 'error', error: e, round, guess: kind } : { phase: 'error', error: e });
      }
    },
    [set, onGuessed],
  );

  /** The next round, once this one is over: a no-op while a guess is pending or a round is being dealt. */
  const next = useCallback(() => {
    const s = current.current;
    if (s.phase !== 'revealed' && s.phase !== 'error') return;
    if (wantedCategory.current !== null) newRound(wantedCategory.current);
  }, [newRound]);

  /** What the error's "Try again" does: resend the guess that did not land, or deal again. */
  const retry = useCallback(() => {
    const s = current.current;
    if (s.phase !== 'error') return;
    if (s.round && s.guess) void guess(s.guess);
    else next();
  }, [guess, next]);

  return { state, busy, newRound, guess, next, retry };
}

const isGuessing = (s: RoundState, round: Round) => s.phase === 'guessing' && s.round === round;

import { useCallback, useState } from 'react';
import type { Edition } from '../api/types';

// Only the player's choice of edition is remembered; rounds never touch storage.
const KEY = 'ttt.edition';

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The chosen edition: the one last picked (on any page) if still offered, else the first. */
export function useEdition(editions: Edition[] | undefined) {
  const [chosen, setChosen] = useState<string | null>(stored);
  const slug = editions?.some((e) => e.slug === chosen) ? chosen : (editions?.[0]?.slug ?? null);
  const choose = useCallback((next: string) => {
    setChosen(next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private mode: the choice lasts this visit.
    }
  }, []);
  return [slug, choose] as const;
}

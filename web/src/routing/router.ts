import { useSyncExternalStore } from 'react';

export type Page = 'game' | 'leaderboard' | 'stats' | 'not-found';

export const paths: Record<Exclude<Page, 'not-found'>, string> = {
  game: '/',
  leaderboard: '/leaderboard',
  stats: '/stats',
};

export function pageFor(pathname: string): Page {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return 'game';
  if (path === '/leaderboard') return 'leaderboard';
  if (path === '/stats') return 'stats';
  return 'not-found';
}

// pushState fires no event of its own; this one tells the subscribers below.
const NAVIGATE = 'ttt:navigate';

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

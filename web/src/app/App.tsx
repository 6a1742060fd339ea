import { useEffect, useRef } from 'react';
import { GamePage } from '../game/GamePage';
import { LeaderboardPage } from '../leaderboard/LeaderboardPage';
import { PlayerProvider } from '../player/PlayerContext';
import { Link } from '../routing/Link';
import { pageFor, paths, usePathname, type Page } from '../routing/router';
import { StatsPage } from '../stats/StatsPage';
import { NotFoundPage } from './NotFoundPage';

const titles: Record<Page, string> = {
  game: 'Twitter Turing Test',
  leaderboard: 'Leaderboard · Twitter Turing Test',
  stats: 'Stats · Twitter Turing Test',
  'not-found': 'Not found · Twitter Turing Test',
};

export function App() {
  return (
    <PlayerProvider>
      <Shell />
    </PlayerProvider>
  );
}

function Shell() {
  const page = pageFor(usePathname());
  const mainRef = useRef<HTMLElement>(null);
  const firstPage = useRef(true);

  useEffect(() => {
    document.title = titles[page];
    // After an in-app navigation, start the reader at the new page rather than at the link.
    if (firstPage.current) firstPage.current = false;
    else mainRef.current?.focus();
  }, [page]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <div className="brand">
            <span className="brand__mark" aria-hidden="true">
              ?
            </span>
            <div>
              <h1 className="brand__name">
                <Link to={paths.game}>Twitter Turing Test</Link>
              </h1>
              <p className="brand__tagline">A person or a language model? Read the tweet and guess.</p>
            </div>
          </div>
          <nav aria-label="Main">
            <ul className="nav">
              <NavItem to={paths.game} current={page === 'game'}>
                Play
              </NavItem>
              <NavItem to={paths.leaderboard} current={page === 'leaderboard'}>
                Leaderboard
              </NavItem>
              <NavItem to={paths.stats} current={page === 'stats'}>
                Stats
              </NavItem>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        {page === 'game' && <GamePage />}
        {page === 'leaderboard' && <LeaderboardPage />}
        {page === 'stats' && <StatsPage />}
        {page === 'not-found' && <NotFoundPage />}
      </main>
      <footer className="site-footer">
        <p>Machine tweets come from GPT-2 models trained on each edition's tweets. Your guesses teach us which models fool people.</p>
      </footer>
    </>
  );
}

function NavItem({ to, current, children }: { to: string; current: boolean; children: string }) {
  return (
    <li>
      <Link to={to} className="nav__link" aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { getMe, setNickname as putNickname } from '../api/endpoints';
import type { Player, PlayerScore } from '../api/types';

interface PlayerContextValue {
  player: Player | null;
  /**
   * True once the first GET /api/me has answered (or failed). Until then no other call goes
   * out: a newcomer has no session cookie yet, and parallel first calls would each be given a
   * new player.
   */
  sessionReady: boolean;
  updateScore: (score: PlayerScore) => void;
  saveNickname: (nickname: string) => Promise<Player>;
}

const PlayerContext = createContext<PlayerContextValue | null>(null);

export function PlayerProvider({ children }: { children: ReactNode }) {
  const [player, setPlayer] = useState<Player | null>(null);
  const [sessionReady, setSessionReady] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    // Once per page, StrictMode's second mount included: it is the call that creates the session.
    if (started.current) return;
    started.current = true;
    getMe().then(
      (me) => setPlayer(me),
      () => setPlayer(null),
    ).finally(() => setSessionReady(true));
  }, []);

  const updateScore = useCallback((score: PlayerScore) => {
    setPlayer((p) => ({ nickname: p?.nickname ?? null, ...score }));
  }, []);

  const saveNickname = useCallback(async (nickname: string) => {
    const me = await putNickname(nickname);
    setPlayer(me);
    return me;
  }, []);

  const value = useMemo(() => ({ player, sessionReady, updateScore, saveNickname }), [player, sessionReady, updateScore, saveNickname]);
  return <PlayerContext.Provider value={value}>{children}</PlayerContext.Provider>;
}

export function usePlayer(): PlayerContextValue {
  const value = useContext(PlayerContext);
  if (!value) throw new Error('usePlayer needs a PlayerProvider above it');
  return value;
}

import { getEditions } from '../api/endpoints';
import { usePlayer } from '../player/PlayerContext';
import { useResource } from './useResource';

export function useEditions() {
  const { sessionReady } = usePlayer();
  return useResource((o) => getEditions(o), 'editions', sessionReady);
}

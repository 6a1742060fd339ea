// The server's rule (docs/game-api.md); checked here too so a typo is caught before a round trip.
// Letters are read as Unicode letters: the server has the last word and its message is shown.
const NICKNAME = /^[\p{L}\p{N} _.-]{1,24}$/u;

export const NICKNAME_MAX = 24;

export function nicknameProblem(nickname: string): string | null {
  if (nickname.length === 0) return 'Enter a nickname.';
  if (nickname.length > NICKNAME_MAX) return `At most ${NICKNAME_MAX} characters.`;
  if (!NICKNAME.test(nickname)) return 'Use letters, digits, spaces and _ - . only.';
  return null;
}

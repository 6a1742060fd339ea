import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'ttt_session';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `<player id>.<HMAC>`: the id alone would let anyone play as anyone whose id leaked (the
 * leaderboard never shows ids, but logs and shared links might).
 */
export class SessionCookie {
  constructor(private readonly secret: string) {}

  issue(playerId: string = randomUUID()): { playerId: string; value: string } {
    return { playerId, value: `${playerId}.${this.mac(playerId)}` };
  }

  /** The player id of a cookie value, or null when it is malformed or signed with another secret. */
  verify(value: string | undefined): string | null {
    if (!value) return null;
    const dot = value.indexOf('.');
    if (dot < 0) return null;
    const id = value.slice(0, dot);
    if (!UUID.test(id)) return null;
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.mac(id));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  private mac(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }
}

/** One cookie's value out of a Cookie header, without a parser dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A broken %-escape is a cookie we did not write: the player gets a new session.
      return undefined;
    }
  }
  return undefined;
}

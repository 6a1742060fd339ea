import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../../config.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { PlayersRepository } from '../players/players.repository.js';
import { readCookie, SESSION_COOKIE, SessionCookie } from './session-cookie.js';

const KNOWN_LIMIT = 100_000;
const YEAR_S = 365 * 24 * 3600;

/** Who is playing: the player of a valid session cookie, or a new player with a new cookie. */
@Injectable()
export class PlayerSessions {
  private readonly cookie: SessionCookie;
  // Cookies already checked: most requests then cost no HMAC to find their player.
  private readonly verified = new Map<string, string>();
  // Players whose row is known to exist: dealing a round then costs no write to find them.
  private readonly existing = new Set<string>();

  constructor(
    @Inject(GAME_CONFIG) config: Config,
    private readonly players: PlayersRepository,
  ) {
    if (!config.GAME_SESSION_SECRET && config.NODE_ENV === 'production') {
      // Replicas with secrets of their own would each reject the others' cookies.
      throw new Error('GAME_SESSION_SECRET must be set in production (at least 32 characters, the same on every replica)');
    }
    if (!config.GAME_SESSION_SECRET) {
      new Logger('PlayerSessions').warn('GAME_SESSION_SECRET is unset: sessions last only as long as this process');
    }
    this.cookie = new SessionCookie(config.GAME_SESSION_SECRET ?? randomBytes(32).toString('base64url'));
  }

  /**
   * The player of the request's session, issuing a cookie for a new one. Writes nothing: a
   * player's row is made only when they deal a round or pick a nickname, so a flood of
   * cookie-less requests cannot fill the table.
   */
  resolve(req: IncomingMessage, res: ServerResponse): string {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    const cached = value && this.verified.get(value);
    if (cached) return cached;
    const id = this.cookie.verify(value);
    const issued = id ? { playerId: id, value: value! } : this.issue(req, res);
    if (this.verified.size >= KNOWN_LIMIT) this.verified.clear();
    this.verified.set(issued.value, issued.playerId);
    return issued.playerId;
  }

  /** Makes sure the player's row exists (a new player, or a cookie older than the database). */
  async ensure(playerId: string): Promise<void> {
    if (this.existing.has(playerId)) return;
    await this.players.ensure(playerId);
    if (this.existing.size >= KNOWN_LIMIT) this.existing.clear();
    this.existing.add(playerId);
  }

  /** Forget a player whose row turned out to be gone (the database was reset under a live cookie). */
  forget(playerId: string): void {
    this.existing.delete(playerId);
  }

  private issue(req: IncomingMessage, res: ServerResponse): { playerId: string; value: string } {
    const issued = this.cookie.issue();
    const secure = (req.socket as TLSSocket).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
    // A UUID, a dot and base64url: nothing in the value needs encoding.
    const expires = new Date(Date.now() + YEAR_S * 1000).toUTCString();
    res.appendHeader('Set-Cookie', `${SESSION_COOKIE}=${issued.value}; Max-Age=${YEAR_S}; Path=/; Expires=${expires}; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Lax`);
    return issued;
  }
}

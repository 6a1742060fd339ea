import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
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
  // Players whose row is known to exist: most requests then cost no write to find their player.
  private readonly known = new Set<string>();

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

  async resolve(req: Request, res: Response): Promise<string> {
    const id = this.cookie.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (id && this.known.has(id)) return id;
    const playerId = id ?? this.issue(req, res);
    await this.players.ensure(playerId);
    if (this.known.size >= KNOWN_LIMIT) this.known.clear();
    this.known.add(playerId);
    return playerId;
  }

  /** Forget a player whose row turned out to be gone (the database was reset under a live cookie). */
  forget(playerId: string): void {
    this.known.delete(playerId);
  }

  private issue(req: Request, res: Response): string {
    const { playerId, value } = this.cookie.issue();
    const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, maxAge: YEAR_S * 1000, path: '/' });
    return playerId;
  }
}

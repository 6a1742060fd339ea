import { Body, Controller, Get, Put } from '@nestjs/common';
import type { Player } from '@ttt/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseBody } from '../../admin/request-body.js';
import { RawRequest } from '../../http/raw-request.decorator.js';
import { RawResponse } from '../../http/raw-response.decorator.js';
import { PlayerSessions } from '../session/player-sessions.js';
import { PlayersRepository } from './players.repository.js';

const nicknameBody = z.strictObject({
  nickname: z
    .string({ error: 'expected a string' })
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, { error: 'at least 1 character' })
        .max(24, { error: 'at most 24 characters' })
        .regex(/^[\p{L}\p{N} _.-]+$/u, { error: 'letters, digits, spaces, "_", "-" and "." only' }),
    ),
});

/** The player behind the session cookie. */
@Controller('api/me')
export class MeController {
  constructor(
    private readonly sessions: PlayerSessions,
    private readonly players: PlayersRepository,
  ) {}

  @Get()
  async me(@RawRequest() req: IncomingMessage, @RawResponse() res: ServerResponse): Promise<Player> {
    const view = await this.players.get(this.sessions.resolve(req, res));
    // No row yet: a player who has not dealt a round or picked a nickname.
    return view ?? { nickname: null, score: 0, streak: 0, bestStreak: 0, roundsPlayed: 0 };
  }

  @Put()
  async rename(@Body() body: unknown, @RawRequest() req: IncomingMessage, @RawResponse() res: ServerResponse): Promise<Player> {
    const { nickname } = parseBody(nicknameBody, body ?? {});
    const playerId = this.sessions.resolve(req, res);
    await this.sessions.ensure(playerId);
    const view = await this.players.setNickname(playerId, nickname);
    if (view) return view;
    // The row vanished under a live cookie (a reset database): make it again.
    this.sessions.forget(playerId);
    await this.sessions.ensure(playerId);
    return (await this.players.setNickname(playerId, nickname))!;
  }
}

import { Body, Controller, Get, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../../admin/request-body.js';
import { PlayerSessions } from '../session/player-sessions.js';
import { PlayersRepository, type PlayerView } from './players.repository.js';

const nicknameBody = z.strictObject({
  nickname: z
    .string({ error: 'nickname: expected a string' })
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, { error: 'nickname: at least 1 character' })
        .max(24, { error: 'nickname: at most 24 characters' })
        .regex(/^[\p{L}\p{N} _.-]+$/u, { error: 'nickname: letters, digits, spaces, "_", "-" and "." only' }),
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
  async me(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PlayerView> {
    return this.view(await this.sessions.resolve(req, res));
  }

  @Put()
  async rename(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PlayerView> {
    const { nickname } = parseBody(nicknameBody, body ?? {});
    const playerId = await this.sessions.resolve(req, res);
    const view = await this.players.setNickname(playerId, nickname);
    return view ?? this.view(playerId);
  }

  private async view(playerId: string): Promise<PlayerView> {
    const view = await this.players.get(playerId);
    if (view) return view;
    // The row vanished under a live cookie (a reset database): make it again.
    this.sessions.forget(playerId);
    await this.players.ensure(playerId);
    return (await this.players.get(playerId))!;
  }
}

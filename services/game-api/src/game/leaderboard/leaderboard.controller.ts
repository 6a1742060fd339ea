import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RawRequest } from '../../http/raw-request.decorator.js';
import { RawResponse } from '../../http/raw-response.decorator.js';
import { EditionsRepository } from '../editions/editions.repository.js';
import { PlayerSessions } from '../session/player-sessions.js';
import type { Leaderboard } from '@ttt/contracts';
import { LeaderboardRepository } from './leaderboard.repository.js';

@Controller('api/leaderboard')
export class LeaderboardController {
  constructor(
    private readonly editions: EditionsRepository,
    private readonly board: LeaderboardRepository,
    private readonly sessions: PlayerSessions,
  ) {}

  @Get()
  async show(
    @Query('edition') slug: string | undefined,
    @Query('period') periodParam: string | undefined,
    @RawRequest() req: IncomingMessage,
    @RawResponse() res: ServerResponse,
  ): Promise<Leaderboard> {
    const period = periodParam ?? 'today';
    if (period !== 'today' && period !== 'all') throw new BadRequestException('period: expected "today" or "all"');
    const edition = await this.editions.require(slug, 'edition');
    const playerId = this.sessions.resolve(req, res);
    const [entries, you] = await Promise.all([this.board.top(edition.categoryId, period), this.board.standing(edition.categoryId, period, playerId)]);
    return { edition: edition.slug, period, entries, you };
  }
}

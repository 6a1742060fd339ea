import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  GoneException,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import type { GuessResult, Round, TokenScores } from '@ttt/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.js';
import { parseBody } from '../../admin/request-body.js';
import { RawRequest } from '../../http/raw-request.decorator.js';
import { RawResponse } from '../../http/raw-response.decorator.js';
import { serviceUnavailable } from '../../service-unavailable.js';
import { EditionsRepository } from '../editions/editions.repository.js';
import { GameMetrics } from '../game-metrics.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { clientIp } from '../rate-limit/client-ip.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { PlayerSessions } from '../session/player-sessions.js';
import { toReveal } from './reveal.js';
import { guessBody, newRoundBody, ROUND_ID } from './round-bodies.js';
import { RoundService } from './round.service.js';
import { RoundsRepository } from './rounds.repository.js';
import { TokenScoresService } from './token-scores.service.js';
import { NothingToServeError } from './tweet-supply.js';

@Controller('api/rounds')
export class RoundsController {
  constructor(
    @Inject(GAME_CONFIG) private readonly config: Config,
    private readonly sessions: PlayerSessions,
    private readonly limiter: RateLimiter,
    private readonly service: RoundService,
    private readonly rounds: RoundsRepository,
    private readonly tokens: TokenScoresService,
    private readonly metrics: GameMetrics,
    private readonly editions: EditionsRepository,
  ) {}

  @Post()
  @HttpCode(201)
  async deal(@Body() body: unknown, @RawRequest() req: IncomingMessage, @RawResponse() res: ServerResponse): Promise<Round> {
    const input = parseBody(newRoundBody, body ?? {});
    const playerId = this.sessions.resolve(req, res);
    await this.limiter.take('rounds', playerId, clientIp(req, this.config.TRUST_PROXY_HOPS), res);
    // An unknown edition is refused at once; the player's row is made only with the round.
    await this.editions.require(input.category, 'category');
    const timer = this.metrics.dealSeconds.startTimer();
    try {
      const round = await this.service.deal(playerId, input.category);
      timer({ edition: round.category });
      this.metrics.rounds.inc({ edition: round.category });
      return round;
    } catch (error) {
      if (!(error instanceof NothingToServeError)) throw error;
      this.metrics.roundsUnavailable.inc({ edition: input.category });
      throw serviceUnavailable(res, 10, error.message);
    }
  }

  @Post(':id/guess')
  @HttpCode(200)
  async guess(@Param('id') id: string, @Body() body: unknown, @RawRequest() req: IncomingMessage, @RawResponse() res: ServerResponse): Promise<GuessResult> {
    const input = parseBody(guessBody, body ?? {});
    const playerId = this.sessions.resolve(req, res);
    await this.limiter.take('guesses', playerId, clientIp(req, this.config.TRUST_PROXY_HOPS), res);
    if (!ROUND_ID.test(id)) throw new NotFoundException(`round ${id} does not exist`);
    const outcome = await this.rounds.guess(id, playerId, input.guess);
    switch (outcome.kind) {
      case 'not_found':
        throw new NotFoundException(`round ${id} does not exist`);
      case 'not_yours':
        throw new ForbiddenException('this round was dealt to another player');
      case 'already_guessed':
        throw new ConflictException('this round has been guessed already: one guess per round');
      case 'expired':
        throw new GoneException(`this round expired (rounds can be guessed for ${this.config.GAME_ROUND_TTL_S} s); start a new one`);
      case 'guessed': {
        const { nickname: _, ...player } = outcome.player;
        this.metrics.guesses.inc({ edition: outcome.reveal.slug, truth: outcome.truth, correct: String(outcome.correct) });
        return { correct: outcome.correct, guess: input.guess, truth: outcome.truth, player, reveal: toReveal(outcome.truth, outcome.reveal) };
      }
    }
  }

  @Get(':id/tokens')
  async tokensOf(@Param('id') id: string, @RawRequest() req: IncomingMessage, @RawResponse() res: ServerResponse): Promise<TokenScores> {
    const playerId = this.sessions.resolve(req, res);
    await this.limiter.take('tokens', playerId, clientIp(req, this.config.TRUST_PROXY_HOPS), res);
    if (!ROUND_ID.test(id)) throw new NotFoundException(`round ${id} does not exist`);
    return this.tokens.forRound(id, res);
  }
}

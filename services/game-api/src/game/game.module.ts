import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HttpAdapterHost } from '@nestjs/core';
import { applyToEveryRequest } from '@ttt/observability';
import type { Config } from '../config.js';
import { StatsModule } from '../stats/stats.module.js';
import { EditionsController } from './editions/editions.controller.js';
import { EditionsRepository } from './editions/editions.repository.js';
import { GameMetrics } from './game-metrics.js';
import { GAME_CONFIG, GAME_REDIS } from './game.tokens.js';
import { InferenceClient } from './inference/inference.client.js';
import { LeaderboardController } from './leaderboard/leaderboard.controller.js';
import { LeaderboardRepository } from './leaderboard/leaderboard.repository.js';
import { MeController } from './players/me.controller.js';
import { PlayersRepository } from './players/players.repository.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { HumanTweetsRepository } from './rounds/human-tweets.repository.js';
import { LiveGenerator } from './rounds/live-generator.js';
import { MachineTweetsRepository } from './rounds/machine-tweets.repository.js';
import { RoundService } from './rounds/round.service.js';
import { RoundsController } from './rounds/rounds.controller.js';
import { RoundsRepository } from './rounds/rounds.repository.js';
import { TokenScoresService } from './rounds/token-scores.service.js';
import { TweetSupply } from './rounds/tweet-supply.js';
import { PlayerSessions } from './session/player-sessions.js';
import { webAppMiddleware } from './web/web-app.middleware.js';

/** What players use: rounds, guesses, their session, leaderboards, stats, and the web app. */
@Module({})
export class GameModule implements NestModule, OnModuleDestroy {
  constructor(
    @Inject(GAME_REDIS) private readonly redis: Redis,
    @Inject(GAME_CONFIG) private readonly config: Config,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  static forRoot(config: Config): DynamicModule {
    return {
      module: GameModule,
      imports: [StatsModule],
      controllers: [EditionsController, MeController, RoundsController, LeaderboardController],
      providers: [
        { provide: GAME_CONFIG, useValue: config },
        {
          provide: GAME_REDIS,
          // Auto-pipelining sends the commands of one tick in one write: under load the rate
          // limits of many requests share a system call, which costs more than the command here.
          useFactory: () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true }),
        },
        GameMetrics,
        EditionsRepository,
        PlayersRepository,
        PlayerSessions,
        RateLimiter,
        InferenceClient,
        HumanTweetsRepository,
        MachineTweetsRepository,
        LiveGenerator,
        TweetSupply,
        RoundsRepository,
        RoundService,
        TokenScoresService,
        LeaderboardRepository,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Game answers depend on who asks and change with every guess: no cache may keep them.
    applyToEveryRequest(consumer, this.adapterHost, (req, res, next) => {
      if (req.originalUrl?.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
      next();
    });
    applyToEveryRequest(consumer, this.adapterHost, webAppMiddleware(this.config.WEB_DIST_DIR));
  }
}

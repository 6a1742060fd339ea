import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import type { Round } from '@ttt/contracts';
import type { Config } from '../../config.js';
import { EditionsRepository } from '../editions/editions.repository.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { PlayerSessions } from '../session/player-sessions.js';
import { RoundsRepository } from './rounds.repository.js';
import { TweetSupply } from './tweet-supply.js';

const SHARE_RESOLUTION = 1_000_000;

@Injectable()
export class RoundService {
  constructor(
    @Inject(GAME_CONFIG) private readonly config: Config,
    private readonly editions: EditionsRepository,
    private readonly supply: TweetSupply,
    private readonly rounds: RoundsRepository,
    private readonly sessions: PlayerSessions,
  ) {}

  /** Deals a round: draws human or machine on the server and hands out only the text. */
  async deal(playerId: string, slug: string): Promise<Round> {
    const edition = await this.editions.require(slug, 'category');
    this.supply.retain(await this.editions.list());
    await this.supply.ready(edition);
    // A CSPRNG, so the sequence of truths cannot be predicted from earlier rounds.
    const truth = randomInt(SHARE_RESOLUTION) < this.config.GAME_MACHINE_SHARE * SHARE_RESOLUTION ? 'machine' : 'human';
    const candidate = await this.supply.take(edition, truth);
    // Only now that there is a round to deal: a refused one (no tweets yet) writes nothing.
    await this.sessions.ensure(playerId);
    const id = randomBytes(16).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.GAME_ROUND_TTL_S * 1000);
    await this.rounds.insert({ id, playerId, categoryId: edition.categoryId, candidate, expiresAt });
    return { id, category: edition.slug, text: candidate.text, expiresAt: expiresAt.toISOString() };
  }
}

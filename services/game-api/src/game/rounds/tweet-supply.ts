import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Config } from '../../config.js';
import type { Edition } from '../editions/editions.repository.js';
import { GAME_CONFIG } from '../game.tokens.js';
import { HumanTweetsRepository } from './human-tweets.repository.js';
import { LiveGenerator } from './live-generator.js';
import { MachineTweetsRepository } from './machine-tweets.repository.js';
import type { TweetCandidate } from './tweet-candidate.js';

/** The edition has nothing of that kind to show yet (no playable human tweets, an empty pool and no generator). */
export class NothingToServeError extends Error {}

interface Stock {
  items: TweetCandidate[];
  /** The refill in progress; resolves to how many tweets it brought. */
  refill: Promise<number> | null;
  lastError: Error | null;
}

/**
 * Human and machine tweets held in memory per edition and refilled in the background before
 * they run out. Dealing a round takes from memory whatever its truth, so a human round and a
 * machine round cost the same and the response time says nothing about the answer.
 */
@Injectable()
export class TweetSupply {
  private readonly logger = new Logger(TweetSupply.name);
  private readonly stocks = new Map<string, Stock>();
  private readonly chunk: number;
  private retained: Edition[] | null = null;

  constructor(
    @Inject(GAME_CONFIG) config: Config,
    private readonly human: HumanTweetsRepository,
    private readonly machine: MachineTweetsRepository,
    private readonly live: LiveGenerator,
  ) {
    // Machine tweets are marked served when they enter memory; holding a few dozen per replica
    // keeps the pool's unserved count meaningful and spreads fresh tweets across replicas.
    this.chunk = config.GAME_REFILL_SIZE;
  }

  /**
   * Makes sure both kinds can be dealt before a truth is drawn. Were one kind missing, every
   * round dealt would be of the other kind and the 503s would tell players which; so the edition
   * deals nothing until both are stocked, and the error names neither. A cold start (a version
   * activated a moment ago, its first tweets generated live) waits for both alike.
   */
  async ready(edition: Edition): Promise<void> {
    const stocks = (['human', 'machine'] as const).map((truth) => ({ truth, stock: this.stock(edition, truth) }));
    for (const { truth, stock } of stocks) if (stock.items.length <= this.chunk) this.refill(stock, edition, truth);
    for (const { stock } of stocks) {
      if (stock.items.length === 0) await stock.refill;
    }
    const missing = stocks.filter(({ stock }) => stock.items.length === 0);
    if (missing.length > 0) {
      for (const { truth, stock } of missing) this.logger.warn(`${edition.slug}: no ${truth} tweets to deal${stock.lastError ? `: ${stock.lastError.message}` : ''}`);
      throw new NothingToServeError(`the ${edition.slug} edition cannot deal rounds right now; try again shortly`);
    }
  }

  /** A tweet of the drawn kind; call ready() first. */
  async take(edition: Edition, truth: 'human' | 'machine'): Promise<TweetCandidate> {
    const stock = this.stock(edition, truth);
    // Waits through refills while they bring tweets; a refill that brings none (or fails) ends it.
    for (;;) {
      if (stock.items.length <= this.chunk) this.refill(stock, edition, truth);
      const item = stock.items.pop();
      if (item) return item;
      const brought = await stock.refill;
      if (!brought) break;
    }
    throw new NothingToServeError(`the ${edition.slug} edition cannot deal rounds right now; try again shortly`);
  }

  private stock(edition: Edition, truth: 'human' | 'machine'): Stock {
    const key = truth === 'human' ? `h:${edition.categoryId}` : `m:${edition.modelVersionId}`;
    let stock = this.stocks.get(key);
    if (!stock) {
      stock = { items: [], refill: null, lastError: null };
      this.stocks.set(key, stock);
    }
    return stock;
  }

  /** Drops what is held for versions that are no longer active (a hot swap). */
  retain(editions: Edition[]): void {
    // The editions list is the same array until its cache refreshes: nothing to do before then.
    if (editions === this.retained) return;
    this.retained = editions;
    const active = new Set(editions.map((e) => e.modelVersionId));
    for (const key of this.stocks.keys()) {
      if (key.startsWith('m:') && !active.has(Number(key.slice(2)))) this.stocks.delete(key);
    }
  }

  private refill(stock: Stock, edition: Edition, truth: 'human' | 'machine'): void {
    if (stock.refill) return;
    stock.refill = this.load(edition, truth).then(
      (items) => {
        stock.items.unshift(...items);
        stock.lastError = null;
        return items.length;
      },
      (error: Error) => {
        stock.lastError = error;
        this.logger.warn(`${edition.slug}: could not refill ${truth} tweets: ${error.message}`);
        return 0;
      },
    ).finally(() => {
      stock.refill = null;
    });
  }

  // Both kinds refill in chunks of the same size, so refills (which briefly load the database)
  // fall on human and machine rounds equally often.
  private async load(edition: Edition, truth: 'human' | 'machine'): Promise<TweetCandidate[]> {
    if (truth === 'human') return this.human.sample(edition.categoryId, this.chunk);
    const fresh = await this.machine.claimUnserved(edition.modelVersionId, this.chunk);
    if (fresh.length === this.chunk) return fresh;
    const repeats = await this.machine.sampleServed(edition.modelVersionId, this.chunk - fresh.length);
    // Taken from the end: fresh tweets go out before repeats.
    const items = [...repeats, ...fresh];
    return items.length > 0 ? items : this.live.generate(edition);
  }
}

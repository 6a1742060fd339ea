import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The game's Prometheus series. /metrics is public, so nothing here is labelled with a dealt
 * round's truth before its guess: polling the counters around one's own round would tell it.
 */
@Injectable()
export class GameMetrics {
  readonly rounds: Counter<'edition'>;
  readonly guesses: Counter<'edition' | 'truth' | 'correct'>;
  readonly roundsUnavailable: Counter<'edition'>;
  readonly dealSeconds: Histogram<'edition'>;

  constructor(registry: Registry) {
    this.rounds = new Counter({ name: 'ttt_game_rounds_total', help: 'Rounds dealt', labelNames: ['edition'], registers: [registry] });
    this.guesses = new Counter({
      name: 'ttt_game_guesses_total',
      help: 'Guesses stored, by the tweet\'s truth and whether the player was right (a machine round guessed wrong fooled the player)',
      labelNames: ['edition', 'truth', 'correct'],
      registers: [registry],
    });
    this.roundsUnavailable = new Counter({ name: 'ttt_game_rounds_unavailable_total', help: 'Rounds refused with 503: the edition cannot deal (a kind of tweet is missing)', labelNames: ['edition'], registers: [registry] });
    this.dealSeconds = new Histogram({
      name: 'ttt_game_round_deal_seconds',
      help: 'Time to deal a round, from the request to the stored row',
      labelNames: ['edition'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
  }
}

import type { Clock } from '../../src/transport/clock.js';

/** A clock that moves only when the test says so: cool-downs of minutes checked in no time. */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; resolve: () => void }> = [];

  constructor(private current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: this.current + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      });
    });
  }

  /** Moves time on and wakes the sleepers that are due, letting their continuations run. */
  async advance(ms: number): Promise<void> {
    this.current += ms;
    const due = this.timers.filter((t) => t.at <= this.current);
    this.timers = this.timers.filter((t) => t.at > this.current);
    for (const t of due) t.resolve();
    await new Promise((r) => setImmediate(r));
  }

  get sleepers(): number {
    return this.timers.length;
  }
}

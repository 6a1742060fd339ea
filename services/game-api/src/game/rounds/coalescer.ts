// Rows per statement: a burst of thousands still goes out as several statements, each of a size
// Postgres plans and sends quickly.
const MAX_BATCH = 500;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Turns many concurrent single writes into a few multi-row ones: while `maxInFlight` flushes
 * are running, new items wait and go out together with the next flush. An idle system writes
 * at once (no timer, no added latency); a busy one writes in batches as large as the load.
 * `flush` answers one result per item, in order. Items that share a key (`keysOf`) never go out
 * in the same batch: the later one waits for the next, as if the writes were one at a time.
 */
export class Coalescer<T, R = void> {
  private queue: Array<Waiting<T, R>> = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { maxInFlight?: number; keysOf?: (item: T) => string[] } = {},
  ) {}

  write(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < (this.options.maxInFlight ?? 2) && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      this.flush(batch.map((b) => b.item))
        .then(
          (results): unknown => batch.forEach((b, i) => b.resolve(results[i]!)),
          // One bad row must not fail its neighbours: write them one by one, each with its own outcome.
          (error): unknown =>
            batch.length === 1
              ? batch[0]!.reject(error)
              : Promise.all(batch.map((b) => this.flush([b.item]).then((r) => b.resolve(r[0]!), b.reject))),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private take(): Array<Waiting<T, R>> {
    const max = MAX_BATCH;
    const keysOf = this.options.keysOf;
    if (!keysOf) return this.queue.splice(0, max);
    const taken: Array<Waiting<T, R>> = [];
    const left: Array<Waiting<T, R>> = [];
    const used = new Set<string>();
    for (const w of this.queue) {
      const keys = keysOf(w.item);
      if (taken.length < max && !keys.some((k) => used.has(k))) {
        keys.forEach((k) => used.add(k));
        taken.push(w);
      } else {
        left.push(w);
      }
    }
    this.queue = left;
    return taken;
  }
}

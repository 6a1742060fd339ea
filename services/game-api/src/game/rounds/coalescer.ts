/**
 * Turns many concurrent single writes into a few multi-row ones: while `maxInFlight` flushes
 * are running, new items wait and go out together with the next flush. An idle system writes
 * at once (no timer, no added latency); a busy one writes in batches as large as the load.
 */
export class Coalescer<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.flush(batch.map((b) => b.item)).then(
        (): unknown => batch.forEach((b) => b.resolve()),
        // One bad row must not fail its neighbours: write them one by one, each with its own outcome.
        (error): unknown =>
          batch.length === 1
            ? batch[0]!.reject(error)
            : Promise.all(batch.map((b) => this.flush([b.item]).then(b.resolve, b.reject))),
      ).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }
}

/** What the batcher reports as it runs; the service turns it into Prometheus metrics. */
export interface BatcherObserver {
  forward(method: 'prefill' | 'decode', batch: number, seconds: number): void;
  concat(seconds: number): void;
  sizes(queue: number, batch: number): void;
}

export const silentObserver: BatcherObserver = { forward() {}, concat() {}, sizes() {} };

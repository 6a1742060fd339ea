/** The batcher's waiting room is full: answer 429 with Retry-After. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`the generation queue is full; retry in ${retryAfterSeconds} s`);
    this.name = 'QueueFullError';
  }
}

/** The model is being drained or released (a swap, a shutdown): send the request elsewhere. */
export class ModelClosedError extends Error {
  constructor(model: string) {
    super(`${model} is shutting down`);
    this.name = 'ModelClosedError';
  }
}

/** The request's signal fired (client gone, deadline passed) before its sequence finished. */
export class GenerationAbortedError extends Error {
  constructor(readonly reason: 'timeout' | 'disconnected' | 'aborted') {
    super(reason === 'timeout' ? 'generation did not finish before the request timeout' : `generation ${reason}`);
    this.name = 'GenerationAbortedError';
  }
}

/** The name is fine but nothing can serve it right now (no active version, still loading): 503. */
export class ModelUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = 'ModelUnavailableError';
  }
}

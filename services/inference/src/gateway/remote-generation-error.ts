/** A worker's refusal, carried back through the queue with the status it maps to. */
export class RemoteGenerationError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteGenerationError';
  }

  /** The failed job's reason, as a worker wrote it (JSON), or a plain message from anything else. */
  static fromFailedReason(reason: string): RemoteGenerationError {
    try {
      const parsed = JSON.parse(reason) as { status: number; retryAfterSeconds: number | null; message: string };
      if (typeof parsed.status === 'number' && typeof parsed.message === 'string') return new RemoteGenerationError(parsed.status, parsed.retryAfterSeconds, parsed.message);
    } catch {
      // not one of ours
    }
    return new RemoteGenerationError(500, null, `generation failed on a worker: ${reason}`);
  }
}

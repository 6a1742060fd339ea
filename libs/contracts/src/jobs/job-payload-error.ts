import type { z } from 'zod';

/** A job whose data does not match its queue's schema; the message names each bad field. */
export class JobPayloadError extends Error {
  constructor(
    readonly queue: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(
      `Invalid ${queue} job payload: ${issues
        .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'JobPayloadError';
  }
}

import { UnrecoverableError } from 'bullmq';
import { JobPayloadError } from './job-payload-error.js';
import type { JobPayload } from './job-schemas.js';
import { parseJobPayload } from './parse-job-payload.js';
import type { QueueName } from './queue-names.js';

/**
 * A worker's first step: the job's payload, validated. A payload that fails validation fails
 * the job for good (retrying cannot fix it), with a message naming the bad fields.
 */
export function takeJobPayload<Q extends QueueName>(queue: Q, data: unknown): JobPayload<Q> {
  try {
    return parseJobPayload(queue, data);
  } catch (error) {
    if (error instanceof JobPayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

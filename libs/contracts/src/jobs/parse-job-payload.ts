import { JobPayloadError } from './job-payload-error.js';
import { type JobPayload, jobSchemas } from './job-schemas.js';
import type { QueueName } from './queue-names.js';

export function parseJobPayload<Q extends QueueName>(queue: Q, data: unknown): JobPayload<Q> {
  const result = jobSchemas[queue].safeParse(data);
  if (!result.success) throw new JobPayloadError(queue, result.error.issues);
  return result.data as JobPayload<Q>;
}

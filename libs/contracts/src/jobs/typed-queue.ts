import type { Job, JobsOptions, Queue } from 'bullmq';
import type { JobInput, JobPayload } from './job-schemas.js';
import { jobDefaults } from './job-defaults.js';
import { parseJobPayload } from './parse-job-payload.js';
import { currentRequestId } from '../tracing/request-context.js';
import type { QueueName } from './queue-names.js';

/**
 * A BullMQ queue that refuses a payload its schema rejects, before it reaches Redis, and gives
 * each job its queue's default options (attempts, backoff, retention) unless told otherwise.
 * A job queued while serving a request carries that request's id, so the worker logs under it.
 */
export class TypedQueue<Q extends QueueName> {
  constructor(
    readonly name: Q,
    readonly queue: Queue,
  ) {
    if (queue.name !== name) throw new Error(`TypedQueue ${name} wraps queue ${queue.name}`);
  }

  async add(data: JobInput<Q>, opts?: JobsOptions): Promise<Job<JobPayload<Q>>> {
    const payload = parseJobPayload(this.name, data);
    const requestId = currentRequestId();
    // Outside the payload's schema: workers validate the payload and read the id apart.
    return this.queue.add(this.name, requestId === undefined ? payload : { ...payload, requestId }, { ...jobDefaults[this.name], ...opts }) as Promise<Job<JobPayload<Q>>>;
  }
}

import { type Job, type Processor, Worker, type WorkerOptions } from 'bullmq';
import { redisConnection } from '@ttt/contracts';
import type { Config } from '../config.js';

/** A BullMQ worker on this service's connection and prefix. */
export function queueWorker(config: Config, queue: string, process: (job: Job) => Promise<unknown>, options: Partial<WorkerOptions> = {}): Worker {
  return new Worker(queue, process as Processor, {
    connection: redisConnection(config.REDIS_URL),
    prefix: config.QUEUE_PREFIX,
    ...options,
  });
}

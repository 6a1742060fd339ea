import { getQueueToken } from '@nestjs/bullmq';
import type { Provider } from '@nestjs/common';
import { QueueName } from '@ttt/contracts';
import type { Queue } from 'bullmq';
import { ADMIN_QUEUES } from './admin.tokens.js';

export const queueNames = Object.values(QueueName) as QueueName[];

export type AdminQueues = ReadonlyMap<QueueName, Queue>;

/** Every registered queue by name, for reading and managing jobs of any queue. */
export const adminQueuesProvider: Provider = {
  provide: ADMIN_QUEUES,
  inject: queueNames.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]): AdminQueues => new Map(queueNames.map((name, i) => [name, queues[i]])),
};

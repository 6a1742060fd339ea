import { jobSchemas, QueueName } from '@ttt/contracts';
import type { z } from 'zod';

/** The queues an operator may add jobs to from the admin API. */
export const enqueueableQueues = [QueueName.scrape, QueueName.buildDataset, QueueName.train, QueueName.import, QueueName.generate, QueueName.evaluate] as const;
export type Enqueueable = (typeof enqueueableQueues)[number];

/** A queue's payload schema (jobSchemas), refusing unknown fields at the top level. */
export function strictJobBody(queue: Enqueueable): z.ZodType {
  return (jobSchemas[queue] as z.ZodObject).strict();
}

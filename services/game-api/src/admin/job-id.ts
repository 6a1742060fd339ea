import { NotFoundException } from '@nestjs/common';
import { QueueName } from '@ttt/contracts';
import { queueNames } from './admin-queues.js';

/** Admin job ids name their queue: "<queue>:<BullMQ id>". */
export function formatJobId(queue: QueueName, id: string | undefined): string {
  return `${queue}:${id}`;
}

export function parseJobId(raw: string): { queue: QueueName; id: string } {
  const colon = raw.indexOf(':');
  const queue = raw.slice(0, colon) as QueueName;
  const id = raw.slice(colon + 1);
  if (colon <= 0 || !id || !queueNames.includes(queue)) throw new NotFoundException(`job ${raw} does not exist (ids look like "${QueueName.scrape}:12")`);
  return { queue, id };
}

import type { JobsOptions } from 'bullmq';
import { QueueName } from './queue-names.js';

/**
 * Options every producer gets unless it says otherwise. Training retries: a crashed or killed run
 * resumes from its checkpoint, so a retry costs minutes, not the run. Finished jobs are kept a
 * while for operators to read, then trimmed so Redis does not grow without end.
 */
export const jobDefaults: Record<QueueName, JobsOptions> = {
  [QueueName.import]: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  [QueueName.scrape]: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } },
  [QueueName.scrapeAccount]: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
  [QueueName.buildDataset]: { attempts: 2, backoff: { type: 'fixed', delay: 10_000 } },
  [QueueName.train]: { attempts: 4, backoff: { type: 'exponential', delay: 15_000 } },
  [QueueName.generate]: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } },
  [QueueName.evaluate]: { attempts: 2, backoff: { type: 'fixed', delay: 10_000 } },
  // A player is waiting: no retry (the gateway answers 503 and the client retries), and nothing
  // worth keeping once the gateway has read the answer.
  [QueueName.inference]: { attempts: 1, removeOnComplete: { age: 60 }, removeOnFail: { age: 60 } },
};
for (const options of Object.values(jobDefaults)) {
  options.removeOnComplete ??= { age: 7 * 24 * 3600, count: 1000 };
  options.removeOnFail ??= { age: 30 * 24 * 3600 };
}

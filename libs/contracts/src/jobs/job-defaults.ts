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
};
for (const options of Object.values(jobDefaults)) {
  options.removeOnComplete ??= { age: 7 * 24 * 3600, count: 1000 };
  options.removeOnFail ??= { age: 30 * 24 * 3600 };
}

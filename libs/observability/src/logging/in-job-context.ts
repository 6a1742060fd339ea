import { jobRequestId, runWithRequestId } from '@ttt/contracts';

type JobLike = { queueName: string; id?: string; data: unknown };

/**
 * On a BullMQ processor's `process(job)`: runs the job inside the id of the request that
 * queued it (or the job's own), so its log lines and the calls it makes carry that id.
 */
export function InJobContext(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const process = descriptor.value as (job: JobLike, ...rest: unknown[]) => unknown;
    descriptor.value = function (this: unknown, job: JobLike, ...rest: unknown[]) {
      return runWithRequestId(jobRequestId(job), () => process.call(this, job, ...rest));
    };
    return descriptor;
  };
}

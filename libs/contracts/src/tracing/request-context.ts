import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header that carries a request's id from a client, or from one service to the next. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Long enough for any tracing id a proxy might send, short and plain enough to log as is.
const ACCEPTED = /^[\w.:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/** The id of the request (or job) whose work is running now, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore();
}

/** Runs `fn`, and everything it starts, as part of the request `id`. */
export function runWithRequestId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** A caller's id when it is a plain token, else a fresh one: a log line must stay one line. */
export function acceptRequestId(value: unknown): string {
  return typeof value === 'string' && ACCEPTED.test(value) ? value : randomUUID();
}

/**
 * The id a job's work logs under: the request that queued it, carried in its data, or else
 * the job's own `<queue>:<id>` (a job queued by a schedule rather than a request).
 */
export function jobRequestId(job: { queueName: string; id?: string; data: unknown }): string {
  const carried = (job.data as { requestId?: unknown } | null)?.requestId;
  return typeof carried === 'string' && ACCEPTED.test(carried) ? carried : `${job.queueName}:${job.id ?? '?'}`;
}

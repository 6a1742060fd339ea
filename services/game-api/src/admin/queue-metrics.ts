import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import type { AdminQueues } from './admin-queues.js';
import { ADMIN_QUEUES } from './admin.tokens.js';

// BullMQ's own names, except "wait", exported as "waiting". Prioritized jobs sit in a sorted set
// of their own, outside the wait list: a depth that reads only the list misses them.
const STATES = ['wait', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
const READ_TIMEOUT_MS = 1_000;

/**
 * `ttt_queue_jobs{queue,state}`: every queue's jobs by state, read from Redis when scraped. Every
 * game-api replica reports the same figures; dashboards and autoscalers take the max.
 */
@Injectable()
export class QueueMetrics {
  constructor(@Inject(Registry) registry: Registry, @Inject(ADMIN_QUEUES) queues: AdminQueues) {
    new Gauge({
      name: 'ttt_queue_jobs',
      help: 'BullMQ jobs per queue and state (waiting, prioritized, active, delayed, failed, completed)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        try {
          // Commands wait in the client's offline queue while Redis is away; /metrics must not.
          const counts = await withinMs(
            READ_TIMEOUT_MS,
            Promise.all([...queues].map(async ([name, queue]) => [name, await queue.getJobCounts(...STATES)] as const)),
          );
          for (const [queue, byState] of counts) {
            for (const state of STATES) this.set({ queue, state: state === 'wait' ? 'waiting' : state }, byState[state] ?? 0);
          }
        } catch {
          // Redis away: no figures rather than stale ones, and /metrics still answers.
          this.reset();
        }
      },
    });
  }
}

function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueName } from './queue-names.js';
import { redisConnection } from './redis-connection.js';
import { takeJobPayload } from './take-job-payload.js';
import { TypedQueue } from './typed-queue.js';
import { jobRequestId, runWithRequestId } from '../tracing/request-context.js';

const connection = redisConnection(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `test-contracts-${process.pid}-${Date.now()}`;

describe('job payloads', () => {
  const queue = new Queue(QueueName.import, { connection, prefix });
  const typed = new TypedQueue(QueueName.import, queue);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('are refused before they reach Redis when they break the schema, naming the field', async () => {
    await expect(typed.add({ category: 'Not A Slug!', from: 'x.jsonl' })).rejects.toThrow(
      /Invalid import job payload: category: a category slug/,
    );
    // @ts-expect-error: a missing field is a type error too; at run time it is refused
    await expect(typed.add({ category: 'vc' })).rejects.toThrow(/from/);
    expect(await queue.count()).toBe(0);
  });

  it('reach Redis as validated when good', async () => {
    const job = await typed.add({ category: 'vc', from: '/data/vc.jsonl.gz' });
    const stored = await queue.getJob(job.id!);
    expect(stored?.data).toEqual({ category: 'vc', from: '/data/vc.jsonl.gz' });
    await stored?.remove();
  });

  it('carry the id of the request that queued them, outside the payload the worker validates', async () => {
    const job = await runWithRequestId('req-42', () => typed.add({ category: 'vc', from: '/data/vc.jsonl.gz' }));
    const stored = (await queue.getJob(job.id!))!;
    expect(jobRequestId(stored)).toBe('req-42');
    expect(takeJobPayload(QueueName.import, stored.data)).toEqual({ category: 'vc', from: '/data/vc.jsonl.gz' });
    const scheduled = await typed.add({ category: 'vc', from: '/data/vc.jsonl.gz' });
    expect(jobRequestId((await queue.getJob(scheduled.id!))!)).toBe(`import:${scheduled.id}`);
    await stored.remove();
    await scheduled.remove();
  });

  it('carry their queue’s retry policy unless the producer gives its own', async () => {
    const trains = new TypedQueue(QueueName.train, new Queue(QueueName.train, { connection, prefix }));
    try {
      const base = { datasetIds: [1], base: { kind: 'scratch' as const, config: {} } };
      const byDefault = await trains.add(base);
      expect(byDefault.opts).toMatchObject({ attempts: 4, backoff: { type: 'exponential', delay: 15_000 } });
      const once = await trains.add(base, { attempts: 1 });
      expect(once.opts.attempts).toBe(1);
    } finally {
      await trains.queue.obliterate({ force: true });
      await trains.queue.close();
    }
  });

  it('fail the job for good, without retries, when a bad payload is taken from Redis', async () => {
    // Written around the typed queue, as an old producer or a hand-made job would.
    const job = await queue.add(QueueName.import, { category: 42 }, { attempts: 3 });
    let calls = 0;
    const worker = new Worker(
      QueueName.import,
      async (j) => {
        calls++;
        return takeJobPayload(QueueName.import, j.data);
      },
      { connection, prefix },
    );
    try {
      const failed = await new Promise<string>((resolve) => worker.on('failed', (_j, err) => resolve(err.message)));
      expect(failed).toMatch(/Invalid import job payload: category: .*; from: /);
      const state = await queue.getJob(job.id!);
      expect(await state?.getState()).toBe('failed');
      expect(state?.attemptsMade).toBe(1);
      expect(calls).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('takeJobPayload throws BullMQ’s UnrecoverableError so the worker does not retry', () => {
    expect(() => takeJobPayload(QueueName.train, { datasetIds: [], base: { kind: 'scratch', config: {} } })).toThrow(UnrecoverableError);
    expect(takeJobPayload(QueueName.train, { datasetIds: [1], base: { kind: 'hub', name: 'gpt2' } })).toEqual({
      datasetIds: [1],
      base: { kind: 'hub', name: 'gpt2' },
      hyperparameters: {},
    });
  });
});

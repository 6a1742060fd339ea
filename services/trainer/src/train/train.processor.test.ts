import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventName, QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type PipelineFixture, pipelineFixture } from '../../test/pipeline-fixture.js';
import type { TrainResult } from './train.processor.js';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const prefix = `test-train-${process.pid}-${Date.now()}`;

describe('train jobs in the trainer service', () => {
  let f: PipelineFixture;
  let service: RunningService;
  let queue: Queue;
  let events: QueueEvents;
  let trains: TypedQueue<typeof QueueName.train>;
  let subscriber: Redis;
  let datasetId: number;

  beforeAll(async () => {
    f = await pipelineFixture();
    expect((await f.cli(CLI.import, ['--category', 'covid19', '--from', f.referenceFile('covid19')])).code).toBe(0);
    const built = await f.cli(CLI.dataset, ['--category', 'covid19']);
    datasetId = Number(/dataset (\d+) \(covid19\)/.exec(built.stdout)![1]);
    service = await startServiceProcess(entry, { ...f.env, QUEUE_PREFIX: prefix });
    const connection = redisConnection(f.env.REDIS_URL);
    queue = new Queue(QueueName.train, { connection, prefix });
    events = new QueueEvents(QueueName.train, { connection, prefix });
    await events.waitUntilReady();
    trains = new TypedQueue(QueueName.train, queue);
    subscriber = new Redis(f.env.REDIS_URL);
    await subscriber.subscribe(EventName.modelPublished);
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    subscriber?.disconnect();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await f?.close();
  });

  it('trains with progress on the job, registers the version and announces it', async () => {
    // Every test process shares Redis's channels: look for our announcement among whatever arrives.
    const announced: unknown[] = [];
    subscriber.on('message', (_c, m) => announced.push(JSON.parse(m)));
    const phases = new Set<string>();
    let lastStep = 0;
    events.on('progress', ({ data }) => {
      const p = data as { phase: string; step?: number };
      phases.add(p.phase);
      if (p.step) lastStep = p.step;
    });
    const job = await trains.add({
      datasetIds: [datasetId],
      base: { kind: 'scratch', config: { preset: 'tiny' } },
      hyperparameters: { max_steps: 20, batch_size: 8, block_size: 64, eval_interval: 20, eval_iters: 2, log_interval: 2 },
    });
    const result = (await job.waitUntilFinished(events, 240_000)) as TrainResult;
    expect(result).toMatchObject({ category: 'covid19', version: 1, metrics: { steps: 20 } });
    expect([...phases]).toEqual(expect.arrayContaining(['preparing', 'training', 'exporting', 'evaluating', 'publishing']));
    expect(lastStep).toBe(20);
    await expect.poll(() => announced).toContainEqual({ pattern: 'model.published', data: { modelVersionId: result.modelVersionId, category: 'covid19' } });

    // Activating it through the CLI makes it the category's one active version.
    const activated = await f.cli(CLI.models, ['activate', String(result.modelVersionId)]);
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toMatch(/covid19\s+v1\s+active/);
  }, 300_000);

  it('resumes a run whose Python process was killed, as the same version, when BullMQ retries the job', async () => {
    const job = await trains.add(
      {
        datasetIds: [datasetId],
        base: { kind: 'scratch', config: { preset: 'tiny' } },
        hyperparameters: { max_steps: 60, batch_size: 8, block_size: 64, checkpoint_interval: 10, eval_interval: 60, eval_iters: 2 },
      },
      { attempts: 2, backoff: { type: 'fixed', delay: 100 } },
    );
    const ckpt = join(f.workDir, 'runs', `job-${job.id}`, 'ckpt.pt');
    for (let waited = 0; !existsSync(ckpt); waited += 200) {
      if (waited > 120_000) throw new Error('no checkpoint after 2 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const killed = spawnSync('pkill', ['-9', '-f', `runs/job-${job.id}/spec.json`]);
    expect(killed.status).toBe(0);
    const result = (await job.waitUntilFinished(events, 240_000)) as TrainResult;
    expect(result.metrics.resumedFrom).toBeGreaterThanOrEqual(10);
    expect(result.metrics.steps).toBe(60);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM model_versions WHERE category_id = (SELECT id FROM categories WHERE slug = $1)', ['covid19']);
    // The first test's version and this one: the retry registered nothing new.
    expect(rows[0].n).toBe(2);
  }, 300_000);

  it('refuses, at once, weights from a folder outside the store and TRAINER_WEIGHTS_DIR', async () => {
    const job = await trains.add({ datasetIds: [datasetId], base: { kind: 'weights', location: '/etc' }, hyperparameters: {} }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 60_000)).rejects.toThrow(/weights folder \/etc is not accepted: .*TRAINER_WEIGHTS_DIR, which is not set/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  }, 90_000);

  it('fails at once, without retrying, when a dataset does not exist', async () => {
    const job = await trains.add({ datasetIds: [9999], base: { kind: 'scratch', config: { preset: 'tiny' } }, hyperparameters: {} }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 60_000)).rejects.toThrow('dataset 9999 does not exist');
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  }, 90_000);

  it('fails at once on hyperparameters the trainer does not know, naming them', async () => {
    const job = await trains.add(
      { datasetIds: [datasetId], base: { kind: 'scratch', config: { preset: 'tiny' } }, hyperparameters: { max_stepz: 5 } },
      { attempts: 3 },
    );
    await expect(job.waitUntilFinished(events, 90_000)).rejects.toThrow(/max_stepz/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    const { rows } = await f.pool.query(`SELECT status, error FROM model_versions ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('max_stepz') });
  }, 120_000);
});

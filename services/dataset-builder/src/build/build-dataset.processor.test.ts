import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EventName, QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceTweets, type TweetFixture, tweetFixture } from '../../test/tweet-fixture.js';
import type { BuildDatasetResult } from './build-dataset.processor.js';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-dataset-${process.pid}-${Date.now()}`;

describe('build-dataset jobs in the dataset-builder service', () => {
  let f: TweetFixture;
  let storeDir: string;
  let service: RunningService;
  let queue: Queue;
  let events: QueueEvents;
  let builds: TypedQueue<typeof QueueName.buildDataset>;
  let subscriber: Redis;

  beforeAll(async () => {
    f = await tweetFixture();
    await f.addTweets('republicans', await referenceTweets('republicans', 6000));
    storeDir = await mkdtemp(join(tmpdir(), 'ttt-store-'));
    service = await startServiceProcess(entry, {
      DATABASE_URL: f.db.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      ARTIFACT_STORE_URL: pathToFileURL(storeDir).href,
    });
    const connection = redisConnection(redisUrl);
    queue = new Queue(QueueName.buildDataset, { connection, prefix });
    events = new QueueEvents(QueueName.buildDataset, { connection, prefix });
    await events.waitUntilReady();
    builds = new TypedQueue(QueueName.buildDataset, queue);
    subscriber = new Redis(redisUrl);
    await subscriber.subscribe(EventName.datasetBuilt);
  });
  afterAll(async () => {
    await service?.stop();
    subscriber?.disconnect();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await f?.close();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('builds a dataset with progress on the job, the counts as its result, and announces it', async () => {
    // Every test process shares Redis's channels: look for our announcement among whatever arrives.
    const announced: unknown[] = [];
    subscriber.on('message', (_c, message) => announced.push(JSON.parse(message)));
    const progress: unknown[] = [];
    events.on('progress', ({ data }) => progress.push(data));
    const job = await builds.add({ category: 'republicans', valFraction: 0.1 });
    const result = (await job.waitUntilFinished(events, 60_000)) as BuildDatasetResult;
    expect(result).toMatchObject({ read: 6000, artifactUri: expect.stringContaining(`${pathToFileURL(storeDir).href}/datasets/republicans/`) });
    expect(result.kept).toBeGreaterThan(4000);
    expect(result.trainTokens).toBeGreaterThan(result.valTokens * 5);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, read: 6000, total: 6000 });
    await expect.poll(() => announced).toContainEqual({ pattern: 'dataset.built', data: { datasetId: result.datasetId, category: 'republicans' } });
  });

  it('fails at once, without retrying, when the category has too few tokens, saying how many', async () => {
    await f.addTweets('small', (await referenceTweets('vc', 30)).map((t) => ({ ...t, platformId: `s${t.platformId}` })));
    const job = await builds.add({ category: 'small' }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/too small to train on: [\d,]+ training .* it needs at least 20,000/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  });

  it('refuses filter settings it does not know, naming them', async () => {
    const job = await queue.add(QueueName.buildDataset, { category: 'republicans', filters: { dropLink: false } });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/Invalid build-dataset job payload: filters.*dropLink/);
  });
});

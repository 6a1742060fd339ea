import { fileURLToPath } from 'node:url';
import { type ImportSummary, QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportFixture, importFixture } from '../../test/import-fixture.js';
import { referenceData } from '../../test/reference-data.js';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-import-${process.pid}-${Date.now()}`;

describe('import jobs in the scraper service', () => {
  let f: ImportFixture;
  let service: RunningService;
  let queue: Queue;
  let events: QueueEvents;
  let imports: TypedQueue<typeof QueueName.import>;

  beforeAll(async () => {
    f = await importFixture();
    service = await startServiceProcess(entry, { DATABASE_URL: f.db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
    const connection = redisConnection(redisUrl);
    queue = new Queue(QueueName.import, { connection, prefix });
    events = new QueueEvents(QueueName.import, { connection, prefix });
    await events.waitUntilReady();
    imports = new TypedQueue(QueueName.import, queue);
  });
  afterAll(async () => {
    await service?.stop();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await f?.close();
  });

  it('imports a file with progress on the job and the summary as its result', async () => {
    const progress: unknown[] = [];
    events.on('progress', ({ data }) => progress.push(data));
    const job = await imports.add({ category: 'republicans', from: `${referenceData()}/seed-tweets/republicans.jsonl.gz` });
    const result = (await job.waitUntilFinished(events, 60_000)) as ImportSummary;
    expect(result).toMatchObject({ category: 'republicans', read: 57_040, inserted: 55_215, alreadyPresent: 1_825 });
    expect(await f.count('SELECT count(*) AS n FROM tweets')).toBe(55_215);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ read: expect.any(Number), inserted: expect.any(Number) });
  });

  it('fails a job for an unknown category at once, with the reason, and does not retry it', async () => {
    const job = await imports.add({ category: 'nfl', from: '/nowhere' }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/Unknown category "nfl"/);
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });

  it('fails a job whose payload breaks the contract, naming the field', async () => {
    const job = await queue.add(QueueName.import, { category: 'vc', from: 7 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/Invalid import job payload: from/);
  });
});

import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { QueueName, redisConnection } from '@ttt/contracts';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const KEY = 'test-admin-key-0123456789abcdef';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `test-game-api-board-${process.pid}`;
const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

describe('operations: the queues board, queue depths and request ids', () => {
  let db: TestDatabase;
  let service: RunningService;
  let noKeys: RunningService;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection: redisConnection(REDIS_URL), prefix: QUEUE_PREFIX }));
    return queues.get(name)!;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX, LOG_LEVEL: 'debug' };
    [service, noKeys] = await Promise.all([startServiceProcess(entry, { ...env, ADMIN_API_KEYS: KEY }), startServiceProcess(entry, env)]);
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), noKeys?.stop()]);
    for (const name of Object.values(QueueName)) {
      await queue(name).obliterate({ force: true });
      await queue(name).close();
    }
    await db?.drop();
  });

  it('keeps /admin/queues behind the admin keys, by bearer token or as the Basic auth password', async () => {
    for (const authorization of [undefined, basic('wrong-key-wrong-key-wrong-key-00'), 'Bearer wrong-key-wrong-key-wrong-key-00']) {
      const res = await fetch(`${service.url}/admin/queues`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      // The browser's own password prompt is how an operator signs in to the board.
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(((await res.json()) as { message: string }).message).toMatch(authorization ? /invalid admin API key/ : /missing admin API key/);
    }
    const page = await fetch(`${service.url}/admin/queues`, { headers: { authorization: basic(KEY) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    // The board's own assets sit under the same guard.
    expect((await fetch(`${service.url}/admin/queues/static/favicon-32x32.png`)).status).toBe(401);

    const closed = await fetch(`${noKeys.url}/admin/queues`, { headers: { authorization: basic(KEY) } });
    expect(closed.status).toBe(401);
    expect(((await closed.json()) as { message: string }).message).toMatch(/no keys configured/);
  });

  it('lists every queue of the system on the board, with its jobs', async () => {
    await queue(QueueName.evaluate).add(QueueName.evaluate, { modelVersionId: 7 });
    const res = await fetch(`${service.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(body.queues.find((q) => q.name === QueueName.evaluate)?.counts.waiting).toBe(1);
  });

  it('exports queue depths for Prometheus, counting prioritized jobs apart from the wait list', async () => {
    const inference = queue(QueueName.inference);
    await inference.add('generate', { n: 1 });
    await inference.add('generate', { n: 2 }, { priority: 5 });
    await inference.add('generate', { n: 3 }, { priority: 1 });
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toContain('ttt_queue_jobs{queue="inference",state="waiting",service="game-api"} 1');
    expect(text).toContain('ttt_queue_jobs{queue="inference",state="prioritized",service="game-api"} 2');
    expect(text).toContain('ttt_queue_jobs{queue="train",state="active",service="game-api"} 0');
  });

  it('gives each request an id, keeps a caller’s plain one, logs under it and hands it to the jobs it queues', async () => {
    const own = await fetch(`${service.url}/health`);
    const fresh = own.headers.get('x-request-id');
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);

    const unsafe = await fetch(`${service.url}/health`, { headers: { 'x-request-id': 'two words; {"injected": true}' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const res = await fetch(`${service.url}/admin/jobs/evaluate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': 'ops-ticket-4711' },
      body: JSON.stringify({ modelVersionId: 3 }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('ops-ticket-4711');
    const { id } = (await res.json()) as { id: string };
    const job = await queue(QueueName.evaluate).getJob(id.split(':')[1]);
    expect(job?.data).toEqual({ modelVersionId: 3, requestId: 'ops-ticket-4711' });

    await expect.poll(() => logLines(service).filter((l) => l.requestId === 'ops-ticket-4711')).toContainEqual(
      expect.objectContaining({ service: 'game-api', context: 'http', message: expect.objectContaining({ method: 'POST', path: '/admin/jobs/evaluate', status: 202 }) }),
    );
    expect(logLines(service).some((l) => l.requestId === fresh)).toBe(true);
  });
});

function logLines(service: RunningService): Record<string, unknown>[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

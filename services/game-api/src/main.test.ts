import { fileURLToPath } from 'node:url';
import { QueueName, redisConnection } from '@ttt/contracts';
import { describeServiceLifecycle } from '@ttt/observability/testing';
import { Queue } from 'bullmq';
import { afterAll } from 'vitest';

describeServiceLifecycle('game-api', fileURLToPath(new URL('../dist/main.js', import.meta.url)));

// The admin API registers every queue; the lifecycle test's service leaves their meta keys behind.
afterAll(async () => {
  for (const name of Object.values(QueueName)) {
    const queue = new Queue(name, { connection: redisConnection(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'), prefix: `test-game-api-${process.pid}` });
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

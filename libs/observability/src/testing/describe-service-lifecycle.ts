import { afterAll, describe, expect, it } from 'vitest';
import { runServiceToExit, startServiceProcess } from './service-process.js';

/**
 * What every service must do from the outside: start, answer liveness and readiness against
 * the real Postgres and Redis, log JSON, stop cleanly, and refuse a bad environment by name.
 */
export function describeServiceLifecycle(name: string, entry: string): void {
  // The server's own "postgres" database: readiness only runs SELECT 1, and the test
  // database itself is a template other test files are cloning meanwhile.
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt_test');
  server.pathname = '/postgres';
  const env = {
    DATABASE_URL: server.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-${name}-${process.pid}`,
  };

  describe(`${name} service`, () => {
    const stops: (() => Promise<unknown>)[] = [];
    afterAll(async () => {
      await Promise.all(stops.map((s) => s()));
    });

    it('starts, answers /health and /health/ready, logs JSON and stops on SIGTERM', async () => {
      const service = await startServiceProcess(entry, env);
      stops.push(service.stop);
      expect(await (await fetch(`${service.url}/health`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
      expect(body.checks.postgres.ok).toBe(true);
      expect(body.checks.redis.ok).toBe(true);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain(`process_cpu_user_seconds_total{service="${name}"}`);
      const firstLine = service.output().split('\n').find((l) => l.trim());
      expect(() => JSON.parse(firstLine ?? '')).not.toThrow();
      expect(await service.stop()).toBe(0);
    });

    it('refuses to start on a bad environment and names each bad variable', async () => {
      const result = await runServiceToExit(entry, { ...env, DATABASE_URL: 'mysql://db/x', REDIS_URL: undefined, PORT: '70000' });
      expect(result.code).toBe(78);
      expect(result.stderr).toContain('DATABASE_URL is "mysql://db/x"; expected a postgres:// or postgresql:// connection URL');
      expect(result.stderr).toContain('REDIS_URL is missing; expected a redis:// or rediss:// URL');
      expect(result.stderr).toContain('PORT is "70000"; expected a TCP port between 1 and 65535');
    });
  });
}

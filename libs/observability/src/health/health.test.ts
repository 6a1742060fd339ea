import 'reflect-metadata';
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservabilityModule } from '../observability.module.js';

/**
 * A TCP relay to the real Postgres that a test can cut: from the service's side, Postgres
 * goes down and comes back, without stopping the server other tests use.
 */
class CuttablePostgres {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Accept connections and never answer, like a server behind a black-holed network. */
  stalled = false;
  accepted = 0;

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      this.accepted++;
      if (this.stalled) {
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => {});
        return;
      }
      const upstream = connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('readiness', () => {
  const postgres = new CuttablePostgres();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    await postgres.open();
    app = await NestFactory.create(
      ObservabilityModule.forRoot({
        service: 'probe-test',
        databaseUrl: `postgresql://postgres@127.0.0.1:${postgres.port}/postgres`,
        redisUrl: 'redis://127.0.0.1:6379',
      }),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
  });

  const ready = async () => {
    const res = await fetch(`${url}/health/ready`);
    return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> } };
  };
  /** Readiness answers are shared for a second; a change shows on the next probe after that. */
  const readyBecomes = async (status: number, withinMs = 5000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const r = await ready();
      if (r.status === status || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('is ready while Postgres and Redis answer', async () => {
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.checks.postgres.ok).toBe(true);
    expect(r.body.checks.redis.ok).toBe(true);
  });

  it('answers 503 naming Postgres when it is down, stays alive, and recovers when it is back', async () => {
    const port = postgres.port;
    await postgres.cut();
    const down = await readyBecomes(503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.postgres.ok).toBe(false);
    expect(down.body.checks.postgres.error).toBeTruthy();
    expect(down.body.checks.redis.ok).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    await postgres.open(port);
    expect((await readyBecomes(200)).status).toBe(200);
  });

  it('answers 503 within its deadline when Postgres accepts but never answers, and recovers', async () => {
    postgres.stalled = true;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the shared answer
    const started = Date.now();
    const stuck = await ready();
    expect(stuck.status).toBe(503);
    expect(stuck.body.checks.postgres.error).toMatch(/did not answer within 2000 ms|timeout/i);
    expect(Date.now() - started).toBeLessThan(4000);
    postgres.stalled = false;
    expect((await readyBecomes(200)).status).toBe(200);
  });

  it('shares one probe among a burst of readiness requests', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = postgres.accepted;
    const answers = await Promise.all(Array.from({ length: 25 }, () => ready()));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(postgres.accepted - before).toBe(1);
  });

  it('answers 503 naming Redis when Redis cannot be reached', async () => {
    const redisDown = await NestFactory.create(
      ObservabilityModule.forRoot({
        service: 'probe-test',
        databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
        // Port 1 is never a Redis: the connection is refused at once.
        redisUrl: 'redis://127.0.0.1:1',
      }),
      { logger: false },
    );
    await redisDown.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await redisDown.getUrl()}/health/ready`);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
      expect(res.status).toBe(503);
      expect(body.checks.redis.ok).toBe(false);
      expect(body.checks.postgres.ok).toBe(true);
    } finally {
      await redisDown.close();
    }
  });
});

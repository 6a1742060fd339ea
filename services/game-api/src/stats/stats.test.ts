import 'reflect-metadata';
import { type INestApplication, Logger, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DbModule } from '@ttt/db';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import type { ServerResponse } from 'node:http';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StatsController } from './stats.controller.js';
import { StatsModule } from './stats.module.js';
import type { Stats } from '@ttt/contracts';
import { StatsRepository } from './stats.repository.js';
import { STATS_CACHE_OPTIONS, StatsService } from './stats.service.js';

const empty: Stats = { editions: [], models: [], daily: [], modelDaily: [] };

describe('game stats: the stats_* views and GET /api/stats', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let app: INestApplication;
  let url: string;
  // UTC dates as the database sees them: today, yesterday, and one past the 90-day window.
  let d0: string;
  let d1: string;
  let d120: string;

  const view = async (name: string, orderBy: string) =>
    (await pool.query(`SELECT * FROM ${name} ORDER BY ${orderBy}`)).rows.map((r) => ({ ...r, day: r.day === undefined ? undefined : iso(r.day) }));
  // A date column comes back as a Date at local midnight.
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const getStats = async () => {
    const res = await fetch(`${url}/api/stats`);
    expect(res.status).toBe(200);
    return (await res.json()) as Stats;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const moduleRef = await Test.createTestingModule({ imports: [DbModule.forRoot({ databaseUrl: db.url, poolSize: 2 }), StatsModule] })
      // Every request reads the views, so each test sees its own rows.
      .overrideProvider(STATS_CACHE_OPTIONS)
      .useValue({ ttlMs: 0, maxStaleMs: 0 })
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    const { rows } = await pool.query(`SELECT to_char(t, 'YYYY-MM-DD') AS d0, to_char(t - 1, 'YYYY-MM-DD') AS d1, to_char(t - 120, 'YYYY-MM-DD') AS d120
                                         FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS t) s`);
    ({ d0, d1, d120 } = rows[0]);
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  it('answers empty arrays on a database without guesses, and the views are empty', async () => {
    expect(await getStats()).toEqual(empty);
    for (const name of ['stats_edition_accuracy', 'stats_model_fool_rate', 'stats_daily_accuracy', 'stats_model_daily_fool_rate', 'stats_daily_machine_share']) {
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${name}`)).rows[0].n, name).toBe(0);
    }
  });

  describe('with rounds and guesses on several days', () => {
    let vc1: number;
    let vc2: number;
    let crypto1: number;

    beforeAll(async () => {
      const { rows: cats } = await pool.query(
        `INSERT INTO categories (slug, name, updated_at) VALUES ('vc', 'Venture Capital', now()), ('crypto', 'Crypto', now()) RETURNING id, slug`,
      );
      const cat = Object.fromEntries(cats.map((c) => [c.slug, c.id as number]));
      const version = async (slug: string, v: number, status: string) =>
        (await pool.query(`INSERT INTO model_versions (category_id, version, status, base, hyperparameters) VALUES ($1, $2, $3, '{}', '{}') RETURNING id`, [cat[slug], v, status]))
          .rows[0].id as number;
      vc1 = await version('vc', 1, 'retired');
      vc2 = await version('vc', 2, 'active');
      crypto1 = await version('crypto', 1, 'active');

      // [round, edition, truth, model version, dealt at, guess, guessed at]
      const plays: [string, string, 'human' | 'machine', number | null, string, 'human' | 'machine' | null, string | null][] = [
        // yesterday
        ['h1', 'vc', 'human', null, `${d1} 10:00:00`, 'human', `${d1} 10:00:20`],
        ['h2', 'vc', 'human', null, `${d1} 10:01:00`, 'machine', `${d1} 10:01:20`],
        ['m1', 'vc', 'machine', vc1, `${d1} 10:02:00`, 'human', `${d1} 10:02:20`],
        ['m2', 'vc', 'machine', vc1, `${d1} 10:03:00`, 'machine', `${d1} 10:03:20`],
        ['m3', 'crypto', 'machine', crypto1, `${d1} 11:00:00`, 'human', `${d1} 11:00:20`],
        // dealt yesterday, guessed today: counts on the day of the guess (the mix counts the day it was dealt)
        ['h5', 'vc', 'human', null, `${d1} 23:59:55`, 'human', `${d0} 00:00:05`],
        // today
        ['m4', 'vc', 'machine', vc2, `${d0} 09:00:00`, 'human', `${d0} 09:00:10`],
        ['m5', 'vc', 'machine', vc2, `${d0} 09:01:00`, 'human', `${d0} 09:01:10`],
        ['m6', 'vc', 'machine', vc2, `${d0} 09:02:00`, 'machine', `${d0} 09:02:10`],
        ['h3', 'vc', 'human', null, `${d0} 09:03:00`, 'human', `${d0} 09:03:10`],
        ['h4', 'crypto', 'human', null, `${d0} 09:04:00`, 'machine', `${d0} 09:04:10`],
        ['m7', 'vc', 'machine', vc2, `${d0} 09:05:00`, null, null],
        // 120 days ago: in the all-time figures, not in the 90-day series
        ['m8', 'vc', 'machine', vc1, `${d120} 12:00:00`, 'machine', `${d120} 12:00:30`],
      ];
      for (const [id, slug, truth, mv, dealt, guess, guessed] of plays) {
        await pool.query(
          `INSERT INTO rounds (id, category_id, truth, model_version_id, text, created_at, expires_at)
           VALUES ($1, $2, $3, $4, 'a tweet', $5::timestamp, $5::timestamp + interval '10 minutes')`,
          [id, cat[slug], truth, mv, dealt],
        );
        if (guess) {
          await pool.query('INSERT INTO guesses (round_id, guess, correct, created_at) VALUES ($1, $2, $2::"Author" = $3::"Author", $4)', [id, guess, truth, guessed]);
        }
      }
    });

    it('stats_edition_accuracy: guesses, correct and accuracy per edition over all time', async () => {
      expect(await view('stats_edition_accuracy', 'slug')).toEqual([
        { category_id: expect.any(Number), slug: 'crypto', name: 'Crypto', guesses: '2', correct: '0', accuracy: '0.000', day: undefined },
        { category_id: expect.any(Number), slug: 'vc', name: 'Venture Capital', guesses: '10', correct: '6', accuracy: '0.600', day: undefined },
      ]);
    });

    it('stats_model_fool_rate: machine rounds only, fooled = guessed human', async () => {
      expect(await view('stats_model_fool_rate', 'slug, version')).toEqual([
        { model_version_id: crypto1, category_id: expect.any(Number), slug: 'crypto', version: 1, status: 'active', guesses: '1', fooled: '1', fool_rate: '1.000', day: undefined },
        { model_version_id: vc1, category_id: expect.any(Number), slug: 'vc', version: 1, status: 'retired', guesses: '3', fooled: '1', fool_rate: '0.333', day: undefined },
        { model_version_id: vc2, category_id: expect.any(Number), slug: 'vc', version: 2, status: 'active', guesses: '3', fooled: '2', fool_rate: '0.667', day: undefined },
      ]);
    });

    it('stats_daily_accuracy and stats_model_daily_fool_rate: bucketed by the UTC day of the guess', async () => {
      expect((await view('stats_daily_accuracy', 'day, slug')).map(({ day, slug, guesses, correct, accuracy }) => [day, slug, guesses, correct, accuracy])).toEqual([
        [d120, 'vc', '1', '1', '1.000'],
        [d1, 'crypto', '1', '0', '0.000'],
        [d1, 'vc', '4', '2', '0.500'],
        [d0, 'crypto', '1', '0', '0.000'],
        [d0, 'vc', '5', '3', '0.600'],
      ]);
      expect(
        (await view('stats_model_daily_fool_rate', 'day, slug, version')).map(({ day, model_version_id, slug, version, guesses, fooled, fool_rate }) => [
          day, model_version_id, slug, version, guesses, fooled, fool_rate,
        ]),
      ).toEqual([
        [d120, vc1, 'vc', 1, '1', '0', '0.000'],
        [d1, crypto1, 'crypto', 1, '1', '1', '1.000'],
        [d1, vc1, 'vc', 1, '2', '1', '0.500'],
        [d0, vc2, 'vc', 2, '3', '2', '0.667'],
      ]);
    });

    it('stats_daily_machine_share: every round dealt, guessed or not, by the UTC day it was dealt', async () => {
      expect((await view('stats_daily_machine_share', 'day, slug')).map(({ day, slug, rounds, machine_rounds, machine_share }) => [day, slug, rounds, machine_rounds, machine_share])).toEqual([
        [d120, 'vc', '1', '1', '1.000'],
        [d1, 'crypto', '1', '1', '1.000'],
        [d1, 'vc', '5', '2', '0.400'],
        [d0, 'crypto', '1', '0', '0.000'],
        [d0, 'vc', '5', '4', '0.800'],
      ]);
    });

    it('GET /api/stats: the documented shape, numbers as numbers, the series limited to the last 90 days', async () => {
      expect(await getStats()).toEqual({
        editions: [
          { slug: 'crypto', name: 'Crypto', guesses: 2, correct: 0, accuracy: 0 },
          { slug: 'vc', name: 'Venture Capital', guesses: 10, correct: 6, accuracy: 0.6 },
        ],
        models: [
          { category: 'crypto', version: 1, versionId: crypto1, guesses: 1, fooled: 1, foolRate: 1 },
          { category: 'vc', version: 1, versionId: vc1, guesses: 3, fooled: 1, foolRate: 0.333 },
          { category: 'vc', version: 2, versionId: vc2, guesses: 3, fooled: 2, foolRate: 0.667 },
        ],
        daily: [
          { day: d1, edition: 'crypto', guesses: 1, correct: 0, accuracy: 0 },
          { day: d1, edition: 'vc', guesses: 4, correct: 2, accuracy: 0.5 },
          { day: d0, edition: 'crypto', guesses: 1, correct: 0, accuracy: 0 },
          { day: d0, edition: 'vc', guesses: 5, correct: 3, accuracy: 0.6 },
        ],
        modelDaily: [
          { day: d1, category: 'crypto', version: 1, versionId: crypto1, guesses: 1, fooled: 1, foolRate: 1 },
          { day: d1, category: 'vc', version: 1, versionId: vc1, guesses: 2, fooled: 1, foolRate: 0.5 },
          { day: d0, category: 'vc', version: 2, versionId: vc2, guesses: 3, fooled: 2, foolRate: 0.667 },
        ],
      });
    });

    it('shares one read among callers within the TTL, and serves what it read', async () => {
      const repository = app.get(StatsRepository);
      const read = vi.spyOn(repository, 'read');
      const service = new StatsService(repository, { ttlMs: 60_000, maxStaleMs: 60_000 });
      const [a, b] = await Promise.all([service.get(), service.get()]);
      expect(a).toBe(b);
      expect(read).toHaveBeenCalledTimes(1);
      expect(read).toHaveBeenCalledWith(90);
      await pool.query(`INSERT INTO rounds (id, category_id, truth, text, expires_at) SELECT 'h9', id, 'human', 'x', now() FROM categories WHERE slug = 'vc'`);
      await pool.query(`INSERT INTO guesses (round_id, guess, correct) VALUES ('h9', 'human', true)`);
      expect(await service.get()).toBe(a);
      expect(read).toHaveBeenCalledTimes(1);
      // The uncached path sees the new guess right away.
      expect((await getStats()).editions.find((e) => e.slug === 'vc')).toMatchObject({ guesses: 11, correct: 7 });
      read.mockRestore();
    });
  });
});

describe('StatsService cache', () => {
  let now = 1_000_000;
  const later = (ms: number) => (now += ms);
  const stats = (n: number): Stats => ({ ...empty, editions: [{ slug: 'vc', name: 'VC', guesses: n, correct: 0, accuracy: 0 }] });
  const pending: { resolve: (s: Stats) => void; reject: (e: Error) => void }[] = [];
  const repository = { read: vi.fn(() => new Promise<Stats>((resolve, reject) => pending.push({ resolve, reject }))) };
  const service = new StatsService(repository as unknown as StatsRepository, { ttlMs: 5_000, maxStaleMs: 60_000 });
  const settle = () => new Promise((r) => setImmediate(r));

  beforeAll(() => {
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
  });
  afterEach(() => expect(pending.length).toBe(0));
  afterAll(() => vi.restoreAllMocks());

  it('waits for the first read; past the TTL serves the stale answer while one read refreshes it', async () => {
    const first = service.get();
    const second = service.get();
    pending.shift()!.resolve(stats(1));
    expect(await first).toEqual(stats(1));
    expect(await second).toEqual(stats(1));
    expect(repository.read).toHaveBeenCalledTimes(1);

    later(4_999);
    expect(await service.get()).toEqual(stats(1));
    expect(repository.read).toHaveBeenCalledTimes(1);

    later(2);
    expect(await service.get()).toEqual(stats(1)); // stale, a refresh started
    expect(await service.get()).toEqual(stats(1)); // the same refresh, not a second one
    expect(repository.read).toHaveBeenCalledTimes(2);
    pending.shift()!.resolve(stats(2));
    await settle();
    expect(await service.get()).toEqual(stats(2));
  });

  it('keeps the stale answer when a refresh fails, and retries on the next call', async () => {
    later(5_001);
    expect(await service.get()).toEqual(stats(2));
    pending.shift()!.reject(new Error('connection refused'));
    await settle();
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
    expect(await service.get()).toEqual(stats(2));
    pending.shift()!.resolve(stats(3));
    await settle();
    expect(await service.get()).toEqual(stats(3));
  });

  it('past maxStaleMs waits for the fresh answer, and fails when it cannot be read', async () => {
    later(60_001);
    const waiting = service.get();
    pending.shift()!.reject(new Error('timeout'));
    await expect(waiting).rejects.toThrow('timeout');
    const again = service.get();
    pending.shift()!.resolve(stats(4));
    expect(await again).toEqual(stats(4));
  });

  it('the controller answers 503 with Retry-After when the stats cannot be read', async () => {
    const failing = { get: () => Promise.reject(new Error('down')) } as unknown as StatsService;
    const headers: Record<string, string> = {};
    const res = { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as ServerResponse;
    await expect(new StatsController(failing).get(res)).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(headers['Retry-After']).toBe('5');
  });
});

import type { RunningService } from '@ttt/observability/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGameWorld, type GameWorld, Player } from './game-fixture.js';

const UNLIMITED = { GAME_RATE_SESSION_PER_MIN: '100000', GAME_RATE_IP_PER_MIN: '100000' };

async function dealMany(base: string, category: string, n: number, concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  const players = Array.from({ length: concurrency }, () => new Player(base));
  await Promise.all(
    players.map(async (player) => {
      while (ids.length < n) {
        const res = await player.call('POST', '/api/rounds', { category });
        if (res.status !== 201) throw new Error(`round answered ${res.status}: ${res.raw}`);
        ids.push(res.body.id);
      }
    }),
  );
  return ids.slice(0, n);
}

describe('game API: the mix of human and machine rounds, the pool, token scores, rate limits', () => {
  let world: GameWorld;

  beforeAll(async () => {
    world = await createGameWorld('supply', { poolSize: 150 });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('deals human and machine at 50/50 within statistical bounds, and at a configured share', async () => {
    const [even, skewed] = await Promise.all([world.startGame(UNLIMITED), world.startGame({ ...UNLIMITED, GAME_MACHINE_SHARE: '0.2' })]);
    const countMachine = async (ids: string[]) => {
      const { rows } = await world.pool.query(`SELECT count(*) FILTER (WHERE truth = 'machine')::int AS m FROM rounds WHERE id = ANY($1)`, [ids]);
      return rows[0].m as number;
    };
    // 4.5 standard deviations of a binomial: a fair server fails this about once in 150,000 runs.
    const n = 2000;
    const machine = await countMachine(await dealMany(even.url, 'vc', n));
    expect(Math.abs(machine - n * 0.5)).toBeLessThan(4.5 * Math.sqrt(n * 0.25));
    const m = 1000;
    const machine20 = await countMachine(await dealMany(skewed.url, 'covid19', m));
    expect(Math.abs(machine20 - m * 0.2)).toBeLessThan(4.5 * Math.sqrt(m * 0.2 * 0.8));
    // ~1,000 machine rounds from a pool of 150: every fresh tweet went out once, then repeats
    // came from storage instead of failing.
    const { rows } = await world.pool.query(
      `SELECT count(*)::int AS served, count(*) FILTER (WHERE served_at IS NULL)::int AS unserved FROM generated_tweets WHERE model_version_id = $1`,
      [world.editions.vc!.versionId],
    );
    expect(rows[0]).toEqual({ served: 150, unserved: 0 });
  });

  it('generates live when a version has no pool, and answers 503 with Retry-After, naming neither kind, when it cannot', async () => {
    // An even mix: were only the missing kind refused, every round dealt would be human.
    const game = await world.startGame({ ...UNLIMITED });
    const player = new Player(game.url);
    const players = async () => Number((await world.pool.query('SELECT count(*) FROM players')).rows[0].count);
    const playersBefore = await players();
    for (let i = 0; i < 6; i++) {
      const down = await player.call('POST', '/api/rounds', { category: 'democrats' });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(down.body.message).toBe('the democrats edition cannot deal rounds right now; try again shortly');
    }
    // A refused round writes nothing, not even its player's row.
    expect(await players()).toBe(playersBefore);

    const inference = await world.startInference({ LOG_LEVEL: 'debug' });
    // The test model has random weights: its tweets never end by themselves, so keep them short.
    const live = await world.startGame({ ...UNLIMITED, GAME_MACHINE_SHARE: '1', INFERENCE_URL: inference.url, GAME_LIVE_MAX_NEW_TOKENS: '24' });
    const livePlayer = new Player(live.url);
    const round = await livePlayer.call('POST', '/api/rounds', { category: 'democrats' });
    expect(round.status, round.raw).toBe(201);
    const { rows } = await world.pool.query(
      `SELECT g.text, g.served_at IS NOT NULL AS served, g.sampling FROM rounds r JOIN generated_tweets g ON g.id = r.generated_tweet_id WHERE r.id = $1`,
      [round.body.id],
    );
    expect(rows[0]).toMatchObject({ text: round.body.text, served: true, sampling: { temperature: 1, top_k: 50, top_p: 0.95, max_new_tokens: 24 } });

    // The reveal's token colouring: scored by the version that wrote it, once guessed.
    expect((await livePlayer.call('POST', `/api/rounds/${round.body.id}/guess`, { guess: 'machine' })).status).toBe(200);
    const tokens = await livePlayer.call('GET', `/api/rounds/${round.body.id}/tokens`, undefined, { 'x-request-id': 'player-trace-77' });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('x-request-id')).toBe('player-trace-77');
    // The player's request id reached inference with the call, and its log line carries it.
    await expect
      .poll(() => inference.output().split('\n').filter((l) => l.includes('"requestId":"player-trace-77"')).map((l) => JSON.parse(l)))
      .toContainEqual(expect.objectContaining({ service: 'inference', message: expect.objectContaining({ method: 'POST', path: '/v1/models/gpt2-twitter-democrats@1/score', status: 200 }) }));
    expect(tokens.body.model).toBe('gpt2-twitter-democrats@1');
    expect(tokens.body.tokens.map((t: { text: string }) => t.text).join('')).toBe(round.body.text);
    for (const t of tokens.body.tokens) {
      expect(t.probability).toBeGreaterThan(0);
      expect(t.probability).toBeLessThanOrEqual(1);
      expect(t.rank).toBeGreaterThanOrEqual(1);
    }

    // Without inference, a guessed round's colouring is a clear 503 with Retry-After.
    const offline = await player.call('POST', '/api/rounds', { category: 'covid19' });
    expect(offline.status).toBe(201);
    expect((await player.call('POST', `/api/rounds/${offline.body.id}/guess`, { guess: 'human' })).status).toBe(200);
    const noTokens = await player.call('GET', `/api/rounds/${offline.body.id}/tokens`);
    expect(noTokens.status).toBe(503);
    expect(noTokens.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(noTokens.body.message).toMatch(/token scores are unavailable/);
  });

  it('limits rounds and guesses per session and per address, with Retry-After', async () => {
    // A prefix of its own: the other tests' requests came from the same address.
    const game = await world.startGame({ GAME_RATE_SESSION_PER_MIN: '5', GAME_RATE_IP_PER_MIN: '8', QUEUE_PREFIX: `${world.prefix}-rate` });
    const first = new Player(game.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await first.call('POST', '/api/rounds', { category: 'covid19' })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await first.call('POST', '/api/rounds', { category: 'covid19' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.body.message).toMatch(/too many rounds/);
    // A fresh session from the same address has its own budget until the address's runs out
    // (requests a session's limit refused do not count against the address).
    const second = new Player(game.url);
    const more: number[] = [];
    for (let i = 0; i < 4; i++) more.push((await second.call('POST', '/api/rounds', { category: 'covid19' })).status);
    expect(more).toEqual([201, 201, 201, 429]);
    // Guesses count separately from rounds.
    const { rows } = await world.pool.query(`SELECT id FROM rounds WHERE player_id = (SELECT player_id FROM rounds ORDER BY created_at DESC LIMIT 1) ORDER BY created_at DESC LIMIT 1`);
    expect((await second.call('POST', `/api/rounds/${rows[0].id}/guess`, { guess: 'human' })).status).toBe(200);
  });
});

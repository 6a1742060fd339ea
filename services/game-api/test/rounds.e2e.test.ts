import type { RunningService } from '@ttt/observability/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGameWorld, type GameWorld, Player } from './game-fixture.js';

describe('game API: rounds, guesses, players', () => {
  let world: GameWorld;
  let game: RunningService;

  // Human tweets of 279 characters and ~90 tokens: a machine tweet stops at 64 tokens.
  const LONG = Array.from({ length: 60 }, (_, i) => `Long ${i} ` + '🚀 to the moon, '.repeat(40).slice(0, 270));

  beforeAll(async () => {
    world = await createGameWorld('rounds');
    for (const [i, text] of LONG.entries()) {
      const { rows } = await world.pool.query(
        `INSERT INTO tweets (platform, platform_id, author_handle, text, tweeted_at, raw, origin) VALUES ('x', $1, 'long', $2, now(), '{}', 'twint_import') RETURNING id`,
        [`long-${i}`, text],
      );
      await world.pool.query('INSERT INTO tweet_categories (tweet_id, category_id) VALUES ($1, $2)', [rows[0].id, world.editions.vc!.categoryId]);
    }
    game = await world.startGame({ GAME_RATE_SESSION_PER_MIN: '100000', GAME_RATE_IP_PER_MIN: '100000' });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('lists the editions that have an active model', async () => {
    const { status, body } = await new Player(game.url).call('GET', '/api/editions');
    expect(status).toBe(200);
    expect(body.editions.map((e: { slug: string }) => e.slug)).toEqual(['vc', 'covid19', 'democrats']);
  });

  it('deals a round that shows only an opaque id and the text, and sets a session cookie', async () => {
    const player = new Player(game.url);
    const { status, body, headers } = await player.call('POST', '/api/rounds', { category: 'vc' });
    expect(status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(['category', 'expiresAt', 'id', 'text']);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(headers.get('set-cookie')).toMatch(/ttt_session=[^;]+; .*HttpOnly/i);
    expect(headers.get('cache-control')).toBe('no-store');
    const { rows } = await world.pool.query('SELECT text, truth FROM rounds WHERE id = $1', [body.id]);
    expect(rows[0].text).toBe(body.text);
  });

  it('checks a guess, reveals the source, and keeps score and streaks on the server', async () => {
    const player = new Player(game.url);
    let score = 0;
    let streak = 0;
    let best = 0;
    for (let i = 0; i < 12; i++) {
      const round = await player.call('POST', '/api/rounds', { category: 'covid19' });
      const { rows } = await world.pool.query('SELECT truth FROM rounds WHERE id = $1', [round.body.id]);
      // Alternate right and wrong answers, so both branches of the arithmetic run.
      const right = i % 3 !== 2;
      const truth = rows[0].truth as 'human' | 'machine';
      const guess = right ? truth : truth === 'human' ? 'machine' : 'human';
      const { status, body } = await player.call('POST', `/api/rounds/${round.body.id}/guess`, { guess });
      expect(status).toBe(200);
      score += right ? 1 : 0;
      streak = right ? streak + 1 : 0;
      best = Math.max(best, streak);
      expect(body).toMatchObject({ correct: right, guess, truth, player: { score, streak, bestStreak: best, roundsPlayed: i + 1 } });
      if (truth === 'human') {
        expect(body.reveal).toMatchObject({ kind: 'human', author: { handle: expect.stringMatching(/^author_\d+$/) } });
        expect(body.reveal.url).toMatch(/^https:\/\/x\.com\/author_\d+\/status\/covid19-\d+$/);
        expect(body.reveal.likes).toBeGreaterThan(0);
      } else {
        expect(body.reveal).toMatchObject({ kind: 'machine', model: { name: 'gpt2-twitter-covid19', version: 1, versionId: world.editions.covid19!.versionId }, sampling: { temperature: 1, top_k: 50 } });
      }
    }
    const me = await player.call('GET', '/api/me');
    expect(me.body).toEqual({ nickname: null, score, streak, bestStreak: best, roundsPlayed: 12 });
    // Operators see guesses by truth and outcome (the fool rate) in Prometheus, rounds only by edition.
    const metrics = await (await fetch(`${game.url}/metrics`)).text();
    const guessed = [...metrics.matchAll(/^ttt_game_guesses_total\{([^}]*)\} (\d+)/gm)].filter((m) => m[1]!.includes('edition="covid19"'));
    expect(guessed.reduce((n, m) => n + Number(m[2]), 0)).toBe(12);
    expect(metrics).toMatch(/^ttt_game_rounds_total\{[^}]*edition="covid19"[^}]*\} 12$/m);
    expect(metrics).not.toMatch(/^ttt_game_rounds_total\{[^}]*truth=/m);
  });

  it('accepts exactly one guess per round, even when two arrive at once', async () => {
    const player = new Player(game.url);
    const round = await player.call('POST', '/api/rounds', { category: 'vc' });
    const answers = await Promise.all([0, 1, 2, 3].map(() => player.call('POST', `/api/rounds/${round.body.id}/guess`, { guess: 'human' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.message).toMatch(/one guess per round/);
    const again = await player.call('POST', `/api/rounds/${round.body.id}/guess`, { guess: 'machine' });
    expect(again.status).toBe(409);
    expect((await player.call('GET', '/api/me')).body.roundsPlayed).toBe(1);
    const { rows } = await world.pool.query('SELECT count(*)::int AS n FROM guesses WHERE round_id = $1', [round.body.id]);
    expect(rows[0].n).toBe(1);
  });

  it('answers 410 for an expired round, 404 for unknown ids, 403 for another player\'s round', async () => {
    const player = new Player(game.url);
    const round = await player.call('POST', '/api/rounds', { category: 'vc' });
    const other = new Player(game.url);
    const stolen = await other.call('POST', `/api/rounds/${round.body.id}/guess`, { guess: 'human' });
    expect(stolen.status).toBe(403);
    expect(stolen.body.message).toMatch(/another player/);
    await world.pool.query(`UPDATE rounds SET expires_at = now() - interval '1 second' WHERE id = $1`, [round.body.id]);
    const late = await player.call('POST', `/api/rounds/${round.body.id}/guess`, { guess: 'human' });
    expect(late.status).toBe(410);
    expect(late.body.message).toMatch(/expired/);
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'not-a-round', '1']) {
      const res = await player.call('POST', `/api/rounds/${id}/guess`, { guess: 'human' });
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/does not exist/);
    }
    expect((await player.call('GET', '/api/me')).body.roundsPlayed).toBe(0);
  });

  it('answers 400 with a message for bad bodies and unknown editions', async () => {
    const player = new Player(game.url);
    const round = await player.call('POST', '/api/rounds', { category: 'vc' });
    const guessPath = `/api/rounds/${round.body.id}/guess`;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/api/rounds', {}, /^category: expected an edition slug such as "vc"$/],
      ['POST', '/api/rounds', { category: 'nope' }, /no edition "nope".*vc, covid19, democrats/],
      ['POST', '/api/rounds', { category: 'empty' }, /no edition "empty"/],
      ['POST', '/api/rounds', { category: 7 }, /^category: expected an edition slug/],
      ['POST', '/api/rounds', { category: 'vc', truth: 'human' }, /truth/],
      ['POST', '/api/rounds', '{"category": "vc"', /JSON|Unexpected|Expected/i],
      ['POST', guessPath, {}, /^guess: expected "human" or "machine"$/],
      ['POST', guessPath, { guess: 'robot' }, /^guess: expected "human" or "machine"$/],
      ['POST', guessPath, { guess: 'human', extra: 1 }, /extra/],
      ['POST', guessPath, [], /expected object|guess/],
      ['PUT', '/api/me', { nickname: '' }, /^nickname: at least 1 character/],
      ['PUT', '/api/me', { nickname: 'x'.repeat(25) }, /^nickname: at most 24 characters$/],
      ['PUT', '/api/me', { nickname: '<script>' }, /^nickname: letters, digits/],
      ['GET', '/api/leaderboard?edition=vc&period=week', undefined, /period/],
      ['GET', '/api/leaderboard?edition=nope', undefined, /edition: no edition "nope"; playable editions: vc, covid19, democrats/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await player.call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.message, `${method} ${path} ${JSON.stringify(body)}`).toMatch(message);
    }
    // Nothing was lost: the round still takes its guess.
    expect((await player.call('POST', guessPath, { guess: 'human' })).status).toBe(200);
  });

  it('gives a tampered or foreign cookie a new player instead of trusting it', async () => {
    const player = new Player(game.url);
    await player.call('PUT', '/api/me', { nickname: 'Real One' });
    const [id] = player.cookie!.replace('ttt_session=', '').split('.');
    const forger = new Player(game.url);
    forger.cookie = `ttt_session=${id}.forgedsignature`;
    const me = await forger.call('GET', '/api/me');
    expect(me.body.nickname).toBeNull();
    expect(forger.cookie).not.toContain(id);
  });

  // Other tests' players in vc have no nickname and at most one right answer: they rank below.
  it('ranks players on the leaderboard by correct guesses, with the asking player\'s place', async () => {
    const players = ['Ada', 'Bob', 'Cy'].map(() => new Player(game.url));
    const rights = [5, 3, 4];
    for (const [i, player] of players.entries()) {
      await player.call('PUT', '/api/me', { nickname: ['Ada', 'Bob', 'Cy'][i] });
      for (let r = 0; r < 6; r++) {
        const round = await player.call('POST', '/api/rounds', { category: 'vc' });
        expect(round.status).toBe(201);
        const { rows } = await world.pool.query('SELECT truth FROM rounds WHERE id = $1', [round.body.id]);
        const guess = r < rights[i]! ? rows[0].truth : rows[0].truth === 'human' ? 'machine' : 'human';
        expect((await player.call('POST', `/api/rounds/${round.body.id}/guess`, { guess })).status).toBe(200);
      }
    }
    const board = await players[1]!.call('GET', '/api/leaderboard?edition=vc&period=today');
    expect(board.status).toBe(200);
    expect(board.body.entries.slice(0, 3).map((e: { nickname: string; correct: number; played: number }) => [e.nickname, e.correct, e.played])).toEqual([
      ['Ada', 5, 6],
      ['Cy', 4, 6],
      ['Bob', 3, 6],
    ]);
    expect(board.body.you).toEqual({ rank: 3, correct: 3, played: 6 });
    const all = await players[0]!.call('GET', '/api/leaderboard?edition=vc&period=all');
    expect(all.body.entries[0]).toMatchObject({ rank: 1, nickname: 'Ada', accuracy: 0.833 });
    const other = await players[0]!.call('GET', '/api/leaderboard?edition=covid19&period=all');
    expect(other.body.entries.find((e: { nickname: string }) => e.nickname === 'Ada')).toBeUndefined();
  });

  it('hides the token colouring until the guess', async () => {
    const player = new Player(game.url);
    const round = await player.call('POST', '/api/rounds', { category: 'vc' });
    const early = await player.call('GET', `/api/rounds/${round.body.id}/tokens`);
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/guess first/);
    expect((await player.call('GET', '/api/rounds/AAAAAAAAAAAAAAAAAAAAAA/tokens')).status).toBe(404);
  });

  it('never deals a human tweet longer than a machine tweet can be', async () => {
    const player = new Player(game.url);
    const texts = new Set<string>();
    for (let i = 0; i < 150; i++) texts.add((await player.call('POST', '/api/rounds', { category: 'vc' })).body.text);
    const { rows } = await world.pool.query(`SELECT count(*)::int AS n FROM rounds WHERE truth = 'human' AND category_id = $1`, [world.editions.vc!.categoryId]);
    expect(rows[0].n).toBeGreaterThan(50);
    expect([...texts].filter((t) => t.includes('to the moon'))).toEqual([]);
  });

  it('makes no player row for a visitor who only looks', async () => {
    const count = async () => (await world.pool.query('SELECT count(*)::int AS n FROM players')).rows[0].n as number;
    const before = await count();
    for (let i = 0; i < 5; i++) {
      const visitor = new Player(game.url);
      expect((await visitor.call('GET', '/api/me')).body).toEqual({ nickname: null, score: 0, streak: 0, bestStreak: 0, roundsPlayed: 0 });
      expect((await visitor.call('GET', '/api/leaderboard?edition=vc')).status).toBe(200);
    }
    expect(await count()).toBe(before);
  });

  it('answers 503 with Retry-After, naming the database, while Postgres cannot be reached', async () => {
    const broken = await world.startGame({ DATABASE_URL: world.db.url.replace(/\/[^/?]+(\?|$)/, '/ttt_missing_database$1') });
    const player = new Player(broken.url);
    for (const [method, path, body] of [['GET', '/api/editions'], ['POST', '/api/rounds', { category: 'vc' }], ['PUT', '/api/me', { nickname: 'Ada' }]] as const) {
      const res = await player.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.body.message).toMatch(/database is unavailable/);
    }
  });

  it('adds an edition when a category gets an active model, without a restart', async () => {
    const player = new Player(game.url);
    const { rows } = await world.pool.query(`SELECT id FROM categories WHERE slug = 'empty'`);
    const categoryId = rows[0].id as number;
    expect((await player.call('POST', '/api/rounds', { category: 'empty' })).status).toBe(400);
    await world.pool.query(
      `INSERT INTO tweets (platform, platform_id, author_handle, text, tweeted_at, raw, origin)
       SELECT 'x', 'later-' || g, 'later', 'A tweet that arrived with the new edition, number ' || g, now(), '{}', 'twint_import' FROM generate_series(1, 20) g`,
    );
    await world.pool.query(`INSERT INTO tweet_categories (tweet_id, category_id) SELECT id, $1 FROM tweets WHERE author_handle = 'later'`, [categoryId]);
    const { rows: mv } = await world.pool.query(
      `INSERT INTO model_versions (category_id, version, status, base, hyperparameters, activated_at) VALUES ($1, 1, 'active', '{"kind":"scratch"}', '{}', now()) RETURNING id`,
      [categoryId],
    );
    await world.pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count) SELECT $1, 'The new model wrote this, number ' || g, '{}', 9 FROM generate_series(1, 20) g`,
      [mv[0].id],
    );
    await expect
      .poll(async () => (await player.call('GET', '/api/editions')).body.editions.map((e: { slug: string }) => e.slug), { timeout: 10_000, interval: 250 })
      .toContain('empty');
    expect((await player.call('POST', '/api/rounds', { category: 'empty' })).status).toBe(201);
  });

  it('never deals a machine tweet cut off at its length cap', async () => {
    const version = world.editions.covid19!.versionId;
    // Only what is added below is left to claim: tweets that ended, after tweets that were cut off.
    await world.pool.query('UPDATE generated_tweets SET served_at = now() WHERE model_version_id = $1 AND served_at IS NULL', [version]);
    await world.pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, 'Cut off at the cap, number ' || g, '{"max_new_tokens":64,"temperature":1}', 64 FROM generate_series(1, 100) g`,
      [version],
    );
    await world.pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, 'This one ended by itself, number ' || g, '{"max_new_tokens":64,"temperature":1}', 20 FROM generate_series(1, 30) g`,
      [version],
    );
    const player = new Player(game.url);
    // Deal until the new tweets come up (what was in memory goes first), then some more.
    const texts: string[] = [];
    let ended = 0;
    for (let i = 0; i < 1500 && ended < 30; i++) {
      const text = (await player.call('POST', '/api/rounds', { category: 'covid19' })).body.text as string;
      texts.push(text);
      if (text.startsWith('This one ended')) ended++;
    }
    expect(ended).toBe(30);
    expect(texts.filter((t) => t.startsWith('Cut off'))).toEqual([]);
  });
});

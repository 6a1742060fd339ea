import type { RunningService } from '@ttt/observability/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ksTwoSample } from '../src/bench/ks-test.js';
import { createGameWorld, type GameWorld, Player } from './game-fixture.js';

describe('no timing side channel', () => {
  let world: GameWorld;
  let game: RunningService;

  beforeAll(async () => {
    world = await createGameWorld('timing', { poolSize: 1500 });
    game = await world.startGame({ GAME_RATE_SESSION_PER_MIN: '100000', GAME_RATE_IP_PER_MIN: '100000' });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('deals human and machine rounds in times a two-sample KS test cannot tell apart (2,000 rounds)', async () => {
    const player = new Player(game.url);
    // Warm up connections, buffers and the JIT: what is measured is the steady state.
    for (let i = 0; i < 100; i++) await player.call('POST', '/api/rounds', { category: 'vc' });
    const times = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const start = process.hrtime.bigint();
      const res = await player.call('POST', '/api/rounds', { category: 'vc' });
      times.set(res.body.id, Number(process.hrtime.bigint() - start) / 1e6);
    }
    const { rows } = await world.pool.query('SELECT id, truth FROM rounds WHERE id = ANY($1)', [[...times.keys()]]);
    const human = rows.filter((r) => r.truth === 'human').map((r) => times.get(r.id)!);
    const machine = rows.filter((r) => r.truth === 'machine').map((r) => times.get(r.id)!);
    const { d, p } = ksTwoSample(human, machine);
    console.log(`timing: ${human.length} human, ${machine.length} machine rounds; median ${median(human).toFixed(2)} vs ${median(machine).toFixed(2)} ms; KS D = ${d.toFixed(4)}, p = ${p.toFixed(3)}`);
    // Truth is drawn per round independently of time, so machine noise falls on both samples
    // alike and p is uniform for a fair server: this fails one fair run in a thousand, while a
    // real channel (a faked delay, a slower query for one kind) gives p far below 1e-6.
    expect(p).toBeGreaterThan(0.001);
  });
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

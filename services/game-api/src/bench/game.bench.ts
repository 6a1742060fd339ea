// `npm run bench:game`: the game server under load. Part 1 deals rounds one at a time and asks
// whether the response time says anything about the answer (two-sample Kolmogorov–Smirnov test
// between human and machine rounds). Part 2 drives round + guess pairs with autocannon and
// compares with the same server's plain health endpoint in the same run.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { withDatabase } from '@ttt/db';
import { startServiceProcess } from '@ttt/observability/testing';
import pg from 'pg';
import { prepareBenchWorld } from './bench-world.js';
import { ksTwoSample } from './ks-test.js';
import { runLoad } from './pair-load.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '15' },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const entry = fileURLToPath(new URL('../main.js', import.meta.url));
const databaseUrl = withDatabase(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt', 'ttt_bench_game');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const duration = Number(values.duration);

say('▸ preparing ttt_bench_game');
const { tweets } = await prepareBenchWorld(databaseUrl, 200_000, say);
say(`  ${tweets} human tweets in vc; 200,000 machine tweets in the pool`);
const game = await startServiceProcess(entry, {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `bench-game-${process.pid}`,
  LOG_LEVEL: 'warn',
  GAME_SESSION_SECRET: 'bench-session-secret-0123456789abcdefghij',
  GAME_RATE_SESSION_PER_MIN: '100000000',
  GAME_RATE_IP_PER_MIN: '100000000',
});
const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });

try {
  if (rounds > 0) {
    say(`▸ timing: ${rounds} rounds dealt one after another`);
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(`${game.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
    const first = await post('/api/rounds', { category: 'vc' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    for (let i = 0; i < 200; i++) await (await post('/api/rounds', { category: 'vc' }, cookie)).text();
    const times = new Map<string, number>();
    for (let i = 0; i < rounds; i++) {
      const start = process.hrtime.bigint();
      const res = await post('/api/rounds', { category: 'vc' }, cookie);
      const body = (await res.json()) as { id: string };
      times.set(body.id, Number(process.hrtime.bigint() - start) / 1e6);
    }
    const { rows } = await db.query('SELECT id, truth FROM rounds WHERE id = ANY($1)', [[...times.keys()]]);
    const split = { human: [] as number[], machine: [] as number[] };
    for (const r of rows) split[r.truth as 'human' | 'machine'].push(times.get(r.id)!);
    for (const kind of ['human', 'machine'] as const) {
      const s = [...split[kind]].sort((a, b) => a - b);
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
      say(`  ${kind.padEnd(7)} n=${s.length}  p50 ${q(0.5)} ms  p90 ${q(0.9)} ms  p99 ${q(0.99)} ms  mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms`);
    }
    const ks = ksTwoSample(split.human, split.machine);
    say(`  two-sample KS: D = ${ks.d.toFixed(4)}, p = ${ks.p.toFixed(3)}  ${ks.p > 0.05 ? '✓ cannot be told apart (p > 0.05)' : '✗ distributions differ (p ≤ 0.05)'}`);
  }

  say(`▸ load: ${connections} connections, ${duration} s each, autocannon in this process`);
  const health = await runLoad({ url: game.url, connections, duration, kind: 'health' });
  say(`  GET /health                 ${health.requestsPerSecond.toFixed(0)} req/s  p50 ${health.p50} ms  p99 ${health.p99} ms  errors ${health.errors}`);
  const pairs = await runLoad({ url: game.url, connections, duration, kind: 'pairs' });
  const pairsPerSecond = pairs.requestsPerSecond / 2;
  say(`  round + guess pairs         ${pairsPerSecond.toFixed(0)} pairs/s (${pairs.requestsPerSecond.toFixed(0)} req/s)  p50 ${pairs.p50} ms  p99 ${pairs.p99} ms  errors ${pairs.errors}`);
  say(`  requests/s vs health: ${(pairs.requestsPerSecond / health.requestsPerSecond).toFixed(2)}×`);
  const goals = [
    [`≥ 2,000 pairs/s`, pairsPerSecond >= 2000],
    [`p99 ≤ 50 ms`, pairs.p99 <= 50],
    [`zero errors`, pairs.errors === 0],
  ] as const;
  say(`  goals: ${goals.map(([name, ok]) => `${ok ? '✓' : '✗'} ${name}`).join('   ')}`);
  const { rows: counted } = await db.query('SELECT (SELECT count(*) FROM rounds)::int AS rounds, (SELECT count(*) FROM guesses)::int AS guesses');
  say(`  stored: ${counted[0].rounds} rounds, ${counted[0].guesses} guesses`);
} finally {
  await db.end();
  await game.stop();
}

import { setTimeout as sleep } from 'node:timers/promises';
import { QueueName, redisConnection } from '@ttt/contracts';
import { freePort } from '@ttt/observability/testing';
import { Queue, QueueEvents } from 'bullmq';
import { Clock, GameLoad, GenerateLoad, type Sample } from '../lib/load.js';
import { auditGuesses, failureMessages, guessLine, loadLine, ms, pct, Report, sec } from '../lib/report.js';
import { ENTRY, type Service, startService, stopService } from '../lib/services.js';
import type { World } from '../lib/world.js';

export const title = 'kill -9 an inference worker (gateway + 2 workers) under load';

const MODELS = ['gpt2-twitter-vc', 'gpt2-twitter-covid19'];

/**
 * Inference as a gateway and two workers, game-api behind the gateway. Worker A starts first
 * and takes the pool's `generate` job of `vc`; the gateway and game-api start; players and
 * generation clients (8, DRILLS_GEN_CLIENTS) load them; worker B joins under that load; then
 * worker A is killed with SIGKILL.
 */
export async function run(world: World, r: Report, clock: Clock): Promise<void> {
  const prefix = 'drill-worker';
  const connection = redisConnection(world.redis.url);
  const generateQueue = new Queue(QueueName.generate, { connection, prefix });
  const inferenceQueue = new Queue(QueueName.inference, { connection, prefix });
  const events = new QueueEvents(QueueName.generate, { connection, prefix });
  // Cleanup (or Ctrl-C) may stop Redis under these: no unhandled-error noise then.
  generateQueue.on('error', () => {});
  inferenceQueue.on('error', () => {});
  events.on('error', () => {});
  const services: Service[] = [];
  try {
    // A long pool job for vc only: covid19's pool is topped up past the target beforehand, so
    // the one job there is to hold is vc's, and worker B is free to pick it up.
    const target = 2500;
    await world.db.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, 'Filler machine tweet number ' || g, '{"temperature":1,"top_k":50,"top_p":0.95,"seed":7}', 12 FROM generate_series(1, $2) g`,
      [world.editions.covid19.versionId, target * 2],
    );
    const inferenceEnv = world.inferenceEnv(prefix, 'worker', { POOL_TARGET: String(target) });
    await events.waitUntilReady();
    const seen: Array<{ t: number; event: string; jobId: string; detail?: string }> = [];
    for (const event of ['active', 'stalled', 'completed', 'failed'] as const) {
      events.on(event, (args: { jobId: string; failedReason?: string }) => seen.push({ t: clock.now(), event, jobId: args.jobId, detail: args.failedReason }));
    }

    const workerA = await startService('inference-worker-a', ENTRY.inference, inferenceEnv);
    services.push(workerA);
    let held: string[] = [];
    for (const deadline = Date.now() + 30_000; held.length === 0 && Date.now() < deadline; ) {
      held = (await generateQueue.getActive()).map((j) => j.id!);
      if (held.length === 0) await sleep(200);
    }
    r.line(`worker A took pool job(s) ${held.join(', ') || 'none'} at ${sec(clock.now())}`);
    const gatewayPort = await freePort();
    const [gateway, game] = await Promise.all([
      startService('inference-gateway', ENTRY.inference, world.inferenceEnv(prefix, 'gateway'), { port: gatewayPort }),
      startService('game-api', ENTRY.game, world.gameEnv(prefix, `http://127.0.0.1:${gatewayPort}`)),
    ]);
    services.push(gateway, game);

    const load = new GameLoad(game.url, clock, { players: 6, categories: ['vc', 'covid19'], thinkMs: 25, retryMs: 250, drainS: 20 });
    const gen = new GenerateLoad(gateway.url, clock, { clients: Number(process.env.DRILLS_GEN_CLIENTS ?? 8), models: MODELS, maxNewTokens: 24, pauseMs: 50 });
    const loadFrom = clock.mark('load started');
    load.start();
    gen.start();
    // Worker B joins under load, as a scaled-out worker does: it must not take requests it
    // cannot serve yet (its models still loading) from worker A, which can.
    await sleep(1000);
    const bFrom = clock.mark('worker B starting');
    const workerB = await startService('inference-worker-b', ENTRY.inference, inferenceEnv);
    services.push(workerB);
    clock.mark('worker B up');
    await sleep(5000);

    const heldAtKill = (await generateQueue.getActive()).map((j) => j.id!);
    const inferenceActive = await inferenceQueue.getActiveCount();
    const killAt = clock.mark('kill -9 worker A');
    workerA.proc.signal('SIGKILL');
    await workerA.proc.exited;
    await sleep(15_000);
    clock.mark('load stopping');
    await Promise.all([load.stop(), gen.stop()]);
    const loadTo = clock.now();

    // The dead worker's pool job: its lock lapses, a stalled check moves it back to wait, B takes it.
    const heldByA = heldAtKill.filter((id) => held.includes(id));
    const pickedUp = () =>
      heldByA.every((id) => {
        const stalled = seen.find((e) => e.jobId === id && e.event === 'stalled' && e.t > killAt);
        return stalled && seen.some((e) => e.jobId === id && (e.event === 'active' || e.event === 'completed') && e.t >= stalled.t);
      });
    const waitLimit = killAt + 120;
    while (heldByA.length > 0 && !pickedUp() && clock.now() < waitLimit) await sleep(250);

    // Figures.
    const ok = (s: Sample) => s.status === 200;
    const rounds = load.samples.filter((s) => s.kind === 'round');
    const guesses = load.samples.filter((s) => s.kind === 'guess');
    r.line(`load: ${load.rounds.size} rounds by 6 players + ${gen.clients} generation clients through the gateway, ${sec(loadFrom)}–${sec(loadTo)}; worker A killed at ${sec(killAt)} holding ${heldAtKill.length} pool job(s), ${inferenceActive} inference job(s) active on the two workers`);
    r.line(loadLine('  rounds', rounds));
    r.line(loadLine('  guesses', guesses));
    r.line(loadLine('  generate via gateway', gen.samples));
    const whileJoining = gen.samples.filter((s) => s.end >= bFrom && s.t < killAt);
    r.line(`  generation while worker B joined (${sec(bFrom)}–${sec(killAt)}): ${whileJoining.filter(ok).length} answered 200, ${whileJoining.filter((s) => !ok(s)).length} failed`);
    for (const m of failureMessages([...rounds, ...guesses, ...gen.samples])) r.line(`    ${m}`);
    const audit = await auditGuesses(world.db, load);
    r.line(`  ${guessLine(audit)}`);

    const spanning = gen.samples.filter((s) => s.t < killAt && s.end > killAt);
    const before = gen.samples.filter((s) => s.end <= killAt).map((s) => s.ms);
    r.line(
      `  generation in flight at the kill: ${spanning.length} (${spanning.filter(ok).length} answered 200, ${spanning.filter((s) => !ok(s)).length} failed), ` +
        `slowest ${ms(spanning.length ? Math.max(...spanning.map((s) => s.ms)) : Number.NaN)} (p50 before the kill ${ms(pct(before, 50))}); ` +
        `after the kill: ${gen.samples.filter((s) => s.t >= killAt && ok(s)).length} answered 200, ${gen.samples.filter((s) => s.t >= killAt && !ok(s)).length} failed`,
    );
    for (const id of heldByA) {
      const stalled = seen.find((e) => e.jobId === id && e.event === 'stalled' && e.t > killAt);
      const again = stalled && seen.find((e) => e.jobId === id && e.event === 'active' && e.t >= stalled.t);
      const done = again && seen.find((e) => e.jobId === id && (e.event === 'completed' || e.event === 'failed') && e.t >= again.t);
      r.line(
        `  pool job ${id} (held by A): stalled detected ${stalled ? `${(stalled.t - killAt).toFixed(1)} s after the kill` : 'never'}` +
          `${again ? `, taken by worker B ${(again.t - killAt).toFixed(1)} s after` : ''}` +
          `${done ? `, ${done.event} ${(done.t - killAt).toFixed(1)} s after` : ''}`,
      );
    }

    // Checks.
    const failedGame = [...rounds, ...guesses].filter((s) => s.status < 200 || s.status >= 300);
    r.check(failedGame.length === 0, `${failedGame.length} round/guess requests failed (expected none: the game never waits on inference while its pool has tweets)`);
    r.check(audit.lost.length === 0, `${audit.lost.length} acknowledged guesses are not stored`);
    const genFailed = gen.samples.filter((s) => !ok(s));
    r.check(
      genFailed.length === 0,
      `${genFailed.length} of ${gen.samples.length} generation requests through the gateway failed (${genFailed.map((s) => `${s.status} after ${ms(s.ms)}`).slice(0, 4).join(', ')})`,
    );
    r.check(heldByA.length > 0, 'worker A held no pool job when it was killed (nothing to recover: the drill proved nothing about stalled jobs)');
    r.check(heldByA.length === 0 || pickedUp(), `the pool job(s) worker A held were not picked up within ${(waitLimit - killAt).toFixed(0)} s of the kill`);
  } finally {
    await events.close().catch(() => {});
    await Promise.allSettled([generateQueue.close(), inferenceQueue.close()]);
    await Promise.all(services.map((s) => stopService(s)));
  }
}

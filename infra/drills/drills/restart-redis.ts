import { setTimeout as sleep } from 'node:timers/promises';
import { QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { type Job, Queue } from 'bullmq';
import type { Clock, ReadyProbe } from '../lib/load.js';
import { auditGuesses, failureMessages, guessLine, loadLine, ms, pct, recovery, rel, Report, sec } from '../lib/report.js';
import { startGameUnderLoad } from '../lib/game-under-load.js';
import { type Service, stopService } from '../lib/services.js';
import type { World } from '../lib/world.js';

export const title = 'restart Redis (shutdown, ~4 s down, start again on the same port and AOF) under load';

const DOWN_S = 4;

/**
 * game-api and inference (one process) on the private Redis. Mid-load, two pool `generate` jobs
 * are queued (one taken at once, one delayed to fall due while Redis is down), Redis is shut down
 * and started again on the same port and folder; the jobs must complete afterwards.
 */
export async function run(world: World, r: Report, clock: Clock): Promise<void> {
  const prefix = 'drill-redis';
  const services: Service[] = [];
  const connection = redisConnection(world.redis.url);
  const queue = new Queue(QueueName.generate, { connection, prefix });
  queue.on('error', () => {});
  const generate = new TypedQueue(QueueName.generate, queue);
  let probe: ReadyProbe | undefined;
  try {
    const started = await startGameUnderLoad(world, clock, prefix, services);
    const { game, load, loadFrom } = started;
    probe = started.probe;

    const countOf = async (versionId: number) => Number((await world.db.query('SELECT count(*)::int AS n FROM generated_tweets WHERE model_version_id = $1', [versionId])).rows[0].n);
    const vc = world.editions.vc.versionId;
    const covid = world.editions.covid19.versionId;
    const before = { vc: await countOf(vc), covid: await countOf(covid) };
    // One job running when Redis goes away, one that falls due while it is away.
    const running = await generate.add({ modelVersionId: vc, count: 300 }, { jobId: 'drill-running' });
    const delayed = await generate.add({ modelVersionId: covid, count: 20 }, { jobId: 'drill-delayed', delay: 2000 });
    clock.mark('jobs queued');
    // Watched from now on: a call made while Redis is down waits for it to come back.
    const fate = async (job: Job) => {
      for (const deadline = Date.now() + 75_000; Date.now() < deadline; await sleep(250)) {
        const fresh = await queue.getJob(job.id!).catch(() => undefined);
        const state = fresh ? await fresh.getState().catch(() => 'unknown') : 'gone';
        if (state === 'completed' || state === 'failed') return { state, job: fresh!, at: clock.now() };
      }
      return { state: 'not finished within 75 s', job: undefined, at: clock.now() };
    };
    const fates = Promise.all([fate(running), fate(delayed)]);
    let runningState = 'unknown';
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(100)) {
      runningState = await running.getState();
      if (runningState !== 'waiting' && runningState !== 'prioritized') break;
    }
    const downAt = clock.mark('redis shutdown');
    const shutdownMs = await world.redis.shutdown();
    clock.mark('redis stopped');
    await sleep(DOWN_S * 1000);
    const startAt = clock.mark('redis starting');
    await world.redis.start();
    const upAt = clock.mark('redis answering');
    await sleep(8000);
    clock.mark('load stopping');
    await load.stop();
    const loadTo = clock.now();

    const [runningFate, delayedFate] = await fates;
    const after = { vc: await countOf(vc), covid: await countOf(covid) };
    await probe.stop();

    // Figures.
    const rounds = load.samples.filter((s) => s.kind === 'round');
    const guesses = load.samples.filter((s) => s.kind === 'guess');
    const outage = [...rounds, ...guesses].filter((s) => s.t >= downAt && s.t <= upAt);
    const beforeRate = [...rounds, ...guesses].filter((s) => s.t >= loadFrom && s.t < downAt).length / (downAt - loadFrom);
    const outageRate = outage.length / (upAt - downAt);
    r.line(`load: 6 players, ${sec(loadFrom)}–${sec(loadTo)}; Redis down ${sec(downAt)}–${sec(upAt)} (shutdown took ${ms(shutdownMs)}, ${DOWN_S} s off, start ${ms((upAt - startAt) * 1000)})`);
    r.line(loadLine('  rounds', rounds));
    r.line(loadLine('  guesses', guesses));
    r.line(`  during the outage: ${outage.length} requests (${outageRate.toFixed(0)}/s against ${beforeRate.toFixed(0)}/s before), p50 ${ms(pct(outage.map((s) => s.ms), 50))}, p99 ${ms(pct(outage.map((s) => s.ms), 99))} (rate limits failing open), ${outage.filter((s) => s.status >= 300 || s.status < 200).length} failed`);
    for (const m of failureMessages([...rounds, ...guesses])) r.line(`    ${m}`);
    const rec = recovery(load.samples, upAt);
    r.line(`  first round / guess answered after Redis came back: ${rel(rec.round, upAt)} / ${rel(rec.guess, upAt)}`);
    const audit = await auditGuesses(world.db, load);
    r.line(`  ${guessLine(audit)}`);
    for (const name of ['game-api', 'inference']) r.line(`  ${name} /health/ready: ${probe.describe(name)}`);
    const describeJob = (label: string, f: Awaited<ReturnType<typeof fate>>, added: number) => {
      const result = f.job?.returnvalue as { accepted?: number; generated?: number } | undefined;
      // finishedOn is the worker's clock when its work ended; `at` is when the drill saw the state.
      const finished = f.job?.finishedOn ? rel((f.job.finishedOn - Date.now()) / 1000 + clock.now(), upAt) : '–';
      return (
        `  job ${label}: ${f.state}, seen ${rel(f.at, upAt)} after Redis came back (its work ended at ${finished}), attempts ${f.job?.attemptsMade ?? '?'}` +
        `${result ? `, ${result.accepted} tweets accepted of ${result.generated} generated` : ''}; pool rows +${added}`
      );
    };
    r.line(describeJob(`drill-running (vc, 300 tweets; ${runningState} at the shutdown)`, runningFate, after.vc - before.vc));
    r.line(describeJob('drill-delayed (covid19, 20 tweets, due 2 s after queueing, i.e. while Redis was down)', delayedFate, after.covid - before.covid));

    // Checks.
    const failedGame = [...rounds, ...guesses].filter((s) => s.status < 200 || s.status >= 300);
    r.check(failedGame.length === 0, `${failedGame.length} round/guess requests failed while Redis restarted (expected none: supply in memory, rate limits fail open)`);
    r.check(audit.lost.length === 0, `${audit.lost.length} acknowledged guesses are not stored`);
    r.check(audit.gaveUp === 0, `${audit.gaveUp} guesses were refused in the end`);
    r.check(rec.round !== undefined && rec.guess !== undefined, 'no round or guess answered after Redis came back');
    r.check(outageRate >= beforeRate / 3, `players were slowed to ${outageRate.toFixed(0)} requests/s while Redis was down (${beforeRate.toFixed(0)}/s before): the game stalls on Redis instead of going on without it`);
    for (const name of ['game-api', 'inference']) {
      const ready = probe.wentDownAndUp(name, downAt);
      r.check(ready.down, `${name} /health/ready never answered 503 while Redis was down`);
      r.check(ready.upAgain, `${name} /health/ready did not answer 200 again after Redis came back`);
    }
    r.check(runningFate.state === 'completed', `the job running at the shutdown did not complete after the restart: ${runningFate.state}${runningFate.job?.failedReason ? ` (${runningFate.job.failedReason})` : ''}`);
    r.check(delayedFate.state === 'completed', `the job that fell due during the outage did not complete after the restart: ${delayedFate.state}${delayedFate.job?.failedReason ? ` (${delayedFate.job.failedReason})` : ''}`);
  } finally {
    await probe?.stop();
    await queue.close().catch(() => {});
    await Promise.all(services.map((s) => stopService(s)));
  }
}

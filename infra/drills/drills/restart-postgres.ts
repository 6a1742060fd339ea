import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, ReadyProbe } from '../lib/load.js';
import { auditGuesses, failureMessages, guessLine, loadLine, ms, recovery, rel, Report, sec, unclearFailures } from '../lib/report.js';
import { startGameUnderLoad } from '../lib/game-under-load.js';
import { type Service, stopService } from '../lib/services.js';
import type { World } from '../lib/world.js';

export const title = 'restart Postgres (pg_ctl stop -m fast, ~3 s down, start again) under load';

const DOWN_S = 3;
/** Rounds and guesses must be answered again within this long after Postgres accepts connections. */
const RECOVER_WITHIN_S = 5;

export async function run(world: World, r: Report, clock: Clock): Promise<void> {
  const prefix = 'drill-postgres';
  const services: Service[] = [];
  let probe: ReadyProbe | undefined;
  try {
    const started = await startGameUnderLoad(world, clock, prefix, services);
    const { game, load, loadFrom } = started;
    probe = started.probe;

    const downAt = clock.mark('pg_ctl stop -m fast');
    const stopMs = await world.pg.stopFast();
    clock.mark('postgres stopped');
    await sleep(DOWN_S * 1000);
    const startAt = clock.mark('postgres starting');
    await world.pg.start();
    const upAt = clock.mark('postgres accepting connections');
    await sleep(8000);
    clock.mark('load stopping');
    await load.stop();
    const loadTo = clock.now();
    await probe.stop();

    const rounds = load.samples.filter((s) => s.kind === 'round');
    const guesses = load.samples.filter((s) => s.kind === 'guess');
    r.line(`load: 6 players, ${sec(loadFrom)}–${sec(loadTo)}; Postgres down ${sec(downAt)}–${sec(upAt)} (fast stop took ${ms(stopMs)}, ${DOWN_S} s off, start ${ms((upAt - startAt) * 1000)})`);
    r.line(loadLine('  rounds', rounds));
    r.line(loadLine('  guesses', guesses));
    for (const m of failureMessages([...rounds, ...guesses])) r.line(`    ${m}`);
    const rec = recovery(load.samples, upAt);
    const recoverS = Math.max(rec.round ?? Number.POSITIVE_INFINITY, rec.guess ?? Number.POSITIVE_INFINITY) - upAt;
    r.line(
      `  failed answers ${sec(rec.firstFailure)}–${sec(rec.lastFailure)}; first round / guess answered after Postgres came back: ` +
        `${rel(rec.round, upAt)} / ${rel(rec.guess, upAt)}; last failure ${rel(rec.lastFailure, upAt)}`,
    );
    const audit = await auditGuesses(world.db, load);
    r.line(`  ${guessLine(audit)}`);
    for (const name of ['game-api', 'inference']) r.line(`  ${name} /health/ready: ${probe.describe(name)}`);

    const unclear = unclearFailures([...rounds, ...guesses]);
    r.check(unclear.length === 0, `${unclear.length} answers were not a clear 503 with a message and Retry-After: ${unclear.slice(0, 3).map((s) => `${s.kind} ${s.status} ${s.message ?? ''}`).join('; ')}`);
    r.check(recoverS <= RECOVER_WITHIN_S, `rounds and guesses were not answered again within ${RECOVER_WITHIN_S} s of Postgres accepting connections (${Number.isFinite(recoverS) ? `${recoverS.toFixed(1)} s` : 'never'})`);
    r.check(audit.lost.length === 0, `${audit.lost.length} acknowledged guesses are not stored`);
    r.check(audit.gaveUp === 0, `${audit.gaveUp} guesses were still refused ${20} s after the load stopped`);
    for (const name of ['game-api', 'inference']) {
      const ready = probe.wentDownAndUp(name, downAt);
      r.check(ready.down, `${name} /health/ready never answered 503 while Postgres was down`);
      r.check(ready.upAgain, `${name} /health/ready did not answer 200 again after Postgres came back`);
    }
  } finally {
    await probe?.stop();
    await Promise.all(services.map((s) => stopService(s)));
  }
}

// Fault drills: the services as built (services/*/dist), on a Postgres and a Redis of their own,
// under steady load, while a worker, Redis, Postgres or the trainer is killed or restarted.
// Prints what each drill found and PASS/FAIL; exits 1 if any failed. See docs/fault-drills.md.
//
//   node --import tsx infra/drills/run.ts [--only <name>[,<name>]] [--real-time] [--list]
import { parseArgs } from 'node:util';
import { Clock } from './lib/load.js';
import { cleanup, history, installSignalHandlers } from './lib/procs.js';
import { type DrillResult, Report } from './lib/report.js';
import { checkBuilt, tail } from './lib/services.js';
import { createWorld, type World } from './lib/world.js';
import * as inferenceWorker from './drills/kill-inference-worker.js';
import * as redisRestart from './drills/restart-redis.js';
import * as postgresRestart from './drills/restart-postgres.js';
import * as trainerKill from './drills/kill-trainer.js';

export interface DrillOptions {
  /** Wait out BullMQ's real lock and stall-check times instead of fast-forwarding them. */
  realTime: boolean;
}

interface Drill {
  name: string;
  title: string;
  run(world: World, report: Report, clock: Clock, options: DrillOptions): Promise<void>;
}

const DRILLS: Drill[] = [
  { name: 'inference-worker', ...inferenceWorker },
  { name: 'redis-restart', ...redisRestart },
  { name: 'postgres-restart', ...postgresRestart },
  { name: 'trainer-kill', ...trainerKill },
];

const USAGE = `Usage: npm run drills [-- --only <name>[,<name>...]] [--real-time] [--list]

Drills: ${DRILLS.map((d) => d.name).join(', ')}
--real-time  the trainer drill waits out the train queue's 5-minute lock instead of expiring it`;

function parse(): { only: string[]; realTime: boolean } {
  let values;
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string', multiple: true }, 'real-time': { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.list) {
    for (const d of DRILLS) process.stdout.write(`${d.name.padEnd(18)} ${d.title}\n`);
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = only.filter((n) => !DRILLS.some((d) => d.name === n));
  if (unknown.length) {
    process.stderr.write(`unknown drill(s): ${unknown.join(', ')}\n\n${USAGE}\n`);
    process.exit(2);
  }
  return { only, realTime: !!values['real-time'] };
}

async function main(): Promise<number> {
  const args = parse();
  installSignalHandlers();
  checkBuilt();
  const selected = args.only.length ? DRILLS.filter((d) => args.only.includes(d.name)) : DRILLS;
  const started = Date.now();
  console.log(`fault drills: ${selected.map((d) => d.name).join(', ')}`);
  const world = await createWorld();
  console.log(
    `world ready in ${((Date.now() - started) / 1000).toFixed(1)} s (private Postgres :${world.pg.port}, Redis :${world.redis.port} appendonly, ${world.root}): ` +
      Object.entries(world.setupMs)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(', '),
  );
  const results: DrillResult[] = [];
  for (const drill of selected) {
    console.log(`\n== ${drill.name}: ${drill.title}`);
    const report = new Report();
    const clock = new Clock();
    const firstProc = history.length;
    try {
      await drill.run(world, report, clock, { realTime: args.realTime });
    } catch (error) {
      report.failures.push(`the drill itself failed: ${(error as Error).stack ?? String(error)}`);
    }
    const result: DrillResult = { name: drill.name, title: drill.title, pass: report.failures.length === 0, failures: report.failures, lines: report.lines, seconds: clock.now() };
    results.push(result);
    for (const line of report.lines) console.log(line);
    console.log(`  timeline: ${clock.marks.map((m) => `${m.t.toFixed(1)} s ${m.what}`).join('; ')}`);
    if (result.pass) {
      console.log(`PASS ${drill.name} (${result.seconds.toFixed(0)} s)`);
    } else {
      console.log(`FAIL ${drill.name} (${result.seconds.toFixed(0)} s)`);
      for (const f of result.failures) console.log(`  - ${f}`);
      for (const p of history.slice(firstProc)) {
        const warnings = p.output().split('\n').filter((l) => /"level":"(warn|error|fatal)"|Error|error/.test(l));
        if (warnings.length) console.log(`  [${p.name} pid ${p.pid}, last warnings]\n${tail(warnings.join('\n'), 6).replace(/^/gm, '    ')}`);
      }
    }
  }
  console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const r of results) console.log(`${r.pass ? 'PASS' : 'FAIL'} ${r.name}${r.pass ? '' : `: ${r.failures[0]?.split('\n')[0]}`}`);
  return results.every((r) => r.pass) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`drills could not run: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanup();
}
process.exit(code);

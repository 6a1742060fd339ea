import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QueueName, redisConnection, TypedQueue } from '@ttt/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Clock, GameLoad } from '../lib/load.js';
import { pidAlive } from '../lib/procs.js';
import { loadLine, Report, sec } from '../lib/report.js';
import { baseEnv, ENTRY, logEntries, ROOT, type Service, startService, stopService } from '../lib/services.js';
import type { World } from '../lib/world.js';
import type { DrillOptions } from '../run.js';

const run$ = promisify(execFile);

export const title = 'kill -9 the trainer mid-run, start it again: the train job resumes from its checkpoint';

// The pipeline test's tiny run, shortened, checkpointing every 10 steps.
const HP = { max_steps: 30, batch_size: 8, block_size: 64, learning_rate: 3e-3, warmup_steps: 4, eval_interval: 15, eval_iters: 2, checkpoint_interval: 10, log_interval: 1 };

/** Children of a pid, from /proc (the trainer's Python). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

interface TrainResult {
  modelVersionId: number;
  version: number;
  artifactUri: string;
  metrics: { steps: number; resumedFrom: number | null; valLoss: number };
}

/**
 * A dataset built by the dataset builder's CLI from the world's vc tweets, the trainer service
 * running `train` jobs, game-api under a light load beside it. Once the run has written a
 * checkpoint the trainer is killed with SIGKILL, then started again.
 */
export async function run(world: World, r: Report, clock: Clock, options: DrillOptions): Promise<void> {
  const prefix = 'drill-trainer';
  const services: Service[] = [];
  const connection = redisConnection(world.redis.url);
  const queue = new Queue(QueueName.train, { connection, prefix });
  const redis = new Redis(world.redis.url, { maxRetriesPerRequest: 1 });
  // Cleanup (or Ctrl-C) may stop Redis under these: no unhandled-error noise then.
  queue.on('error', () => {});
  redis.on('error', () => {});
  let load: GameLoad | undefined;
  try {
    const storeEnv = { ARTIFACT_STORE_URL: world.store.rootUri };
    const workDir = join(world.root, 'trainer-work');
    const trainerEnv = {
      ...world.env(prefix),
      ...storeEnv,
      LOG_LEVEL: 'log',
      TRAINER_PYTHON: process.env.TRAINER_PYTHON ?? '/usr/bin/python3',
      TRAINER_WORK_DIR: workDir,
      TRAINER_DEVICE: 'cpu',
      TRAINER_ONNX_EVAL_WINDOWS: '4',
    };
    // The dataset (the dataset builder's CLI over the world's vc tweets), game-api and the trainer, side by side.
    const [built, game, trainer1] = await Promise.all([
      run$(process.execPath, [ENTRY.dataset, '--category', 'vc', '--val-fraction', '0.2'], {
        cwd: ROOT,
        env: { ...baseEnv(), ...world.env(prefix), ...storeEnv, DATASET_MIN_TRAIN_TOKENS: '500', DATASET_MIN_VAL_TOKENS: '100' },
      }),
      startService('game-api', ENTRY.game, world.gameEnv(prefix, 'http://127.0.0.1:9')).then((s) => (services.push(s), s)),
      startService('trainer', ENTRY.trainer, trainerEnv).then((s) => (services.push(s), s)),
    ]);
    const datasetId = Number(/dataset (\d+) \(vc\)/.exec(built.stdout)?.[1]);
    if (!datasetId) throw new Error(`the dataset builder did not report a dataset:\n${built.stdout}\n${built.stderr}`);
    clock.mark(`dataset ${datasetId} built, game-api and trainer up`);
    load = new GameLoad(game.url, clock, { players: 1, categories: ['vc', 'covid19'], thinkMs: 100, retryMs: 250, drainS: 10 });
    load.start();
    const lastVersionBefore = Number((await world.db.query('SELECT coalesce(max(id), 0)::int AS n FROM model_versions')).rows[0].n);
    const queuedAt = clock.mark('train job queued');
    const job = await new TypedQueue(QueueName.train, queue).add({ datasetIds: [datasetId], base: { kind: 'scratch', config: { preset: 'tiny' } }, hyperparameters: HP });

    // Wait for the first checkpoint, as the trainer logs it.
    const checkpoints = () => logEntries(trainer1.proc, (e) => (e.message as { msg?: string })?.msg === 'trainer checkpoint').map((e) => (e.message as { step: number }).step);
    for (const deadline = Date.now() + 150_000; checkpoints().length === 0; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('no checkpoint within 150 s');
      if (!trainer1.proc.alive()) throw new Error('the trainer exited before its first checkpoint');
    }
    const ckptStep = checkpoints().at(-1)!;
    const ckptAt = clock.mark(`checkpoint at step ${ckptStep}`);
    const python = childrenOf(trainer1.proc.pid);
    // A moment more, so the run is past its checkpoint when it dies (work that must be redone).
    await sleep(500);
    const steps = logEntries(trainer1.proc, (e) => (e.message as { msg?: string })?.msg === 'training');
    const progress = ((await queue.getJob(job.id!))?.progress ?? {}) as { step?: number };
    const lastCkpt = checkpoints().at(-1)!;
    const killAt = clock.mark('kill -9 trainer');
    trainer1.proc.signal('SIGKILL');
    await trainer1.proc.exited;
    await sleep(2000);
    const pythonLeft = python.filter(pidAlive);
    r.line(
      `trainer killed at ${sec(killAt)}, ${(killAt - ckptAt).toFixed(1)} s after its checkpoint at step ${lastCkpt} (job progress last reported step ${progress.step ?? steps.at(-1)?.step ?? '?'}); ` +
        `its Python (pid ${python.join(', ') || 'none found'}) ${pythonLeft.length ? `STILL RUNNING 2 s later: ${pythonLeft.join(', ')}` : 'died with it'}`,
    );

    const lockKey = `${prefix}:${QueueName.train}:${job.id}:lock`;
    const lockTtl = await redis.pttl(lockKey);
    if (options.realTime) {
      r.line(`  the job's lock has ${(lockTtl / 1000).toFixed(0)} s left; waiting it out (--real-time)`);
    } else {
      // What BullMQ sees once the dead worker's lock has lapsed (up to lockDuration, 5 min here) and
      // a stalled check has marked the job: skip that wait rather than spend it.
      await redis.multi().del(lockKey).sadd(`${prefix}:${QueueName.train}:stalled`, job.id!).del(`${prefix}:${QueueName.train}:stalled-check`).exec();
      clock.mark('lock expiry fast-forwarded');
      r.line(`  the job's lock had ${(lockTtl / 1000).toFixed(0)} s left (lockDuration 300 s, stalled check every 30 s): fast-forwarded by expiring it (--real-time waits instead)`);
    }
    const restartAt = clock.mark('trainer started again');
    const trainer2 = await startService('trainer', ENTRY.trainer, trainerEnv);
    services.push(trainer2);

    let state = 'unknown';
    const limitS = options.realTime ? 480 : 180;
    for (const deadline = Date.now() + limitS * 1000; Date.now() < deadline; await sleep(500)) {
      state = await job.getState();
      if (state === 'completed' || state === 'failed') break;
      if (!trainer2.proc.alive()) throw new Error('the restarted trainer exited');
    }
    const doneAt = clock.mark(`job ${state}`);
    await load.stop();
    const finished = (await queue.getJob(job.id!))!;
    const result = finished.returnvalue as TrainResult | null;
    const start = logEntries(trainer2.proc, (e) => (e.message as { msg?: string })?.msg === 'trainer start').map((e) => e.message as { resumed_from: number | null })[0];
    // Where the retried attempt's time went, from the trainer's own log.
    const at = (msg: string) => logEntries(trainer2.proc, (e) => (e.message as { msg?: string })?.msg === msg).map((e) => Number(e.timestamp))[0];
    const restartEpoch = Date.now() - (clock.now() - restartAt) * 1000;
    const phases = [
      ['Python up', at('trainer start')],
      ['training done', at('trainer done')],
      ['exported + quantized', at('model exported')],
      ['ONNX checked + published', at('model published')],
    ] as const;
    let prev = restartEpoch;
    const phaseText = phases
      .filter(([, t]) => Number.isFinite(t))
      .map(([name, t]) => {
        const d = (t! - prev) / 1000;
        prev = t!;
        return `${name} +${d.toFixed(1)} s`;
      })
      .join(', ');
    const made = (await world.db.query('SELECT id, status, artifact_uri FROM model_versions WHERE id > $1 ORDER BY id', [lastVersionBefore])).rows as Array<{ id: number; status: string; artifact_uri: string | null }>;
    const version = result ? made.find((v) => v.id === result.modelVersionId) : undefined;

    r.line(
      `  restarted at ${sec(restartAt)}; the retried run logged "start" with resumed_from=${start?.resumed_from ?? 'none'}; job ${state} at ${sec(doneAt)} ` +
        `(${(doneAt - restartAt).toFixed(1)} s after the restart, ${(doneAt - queuedAt).toFixed(1)} s after it was queued; attempts made ${finished.attemptsMade}, stalled ${finished.stalledCounter ?? '?'} time(s))`,
    );
    r.line(`  the retried attempt, from the restart: ${phaseText}`);
    if (result) {
      r.line(
        `  result: model version ${result.modelVersionId} (v${result.version}), ${result.metrics.steps} steps, resumedFrom ${result.metrics.resumedFrom}, val loss ${result.metrics.valLoss.toFixed(3)}; ` +
          `registered as ${version?.status ?? 'missing'}; versions made by the run: ${made.length}`,
      );
    } else {
      r.line(`  no result${finished.failedReason ? `: ${finished.failedReason}` : ''}`);
    }
    r.line(loadLine('  game rounds meanwhile', load.samples.filter((s) => s.kind === 'round')));
    r.line(loadLine('  game guesses meanwhile', load.samples.filter((s) => s.kind === 'guess')));

    r.check(pythonLeft.length === 0, `the trainer's Python outlived it (pids ${pythonLeft.join(', ')}): it would write the run folder on alone`);
    r.check(state === 'completed', `the train job did not complete after the restart: ${state}${finished.failedReason ? ` (${finished.failedReason})` : ''}`);
    r.check(!!start && (start.resumed_from ?? 0) >= ckptStep, `the retried run did not resume from its checkpoint (step ${ckptStep}): resumed_from=${start?.resumed_from ?? 'none'}`);
    r.check(!!result && result.metrics.steps === HP.max_steps && (result.metrics.resumedFrom ?? 0) > 0, `the result does not show a resumed run of ${HP.max_steps} steps`);
    r.check(version?.status === 'ready' && !!version.artifact_uri && existsSync(join(fileURLToPath(version.artifact_uri), 'onnx', 'model_quantized.onnx')), 'the model version is not registered ready with its ONNX files');
    r.check(made.length === 1, `the run registered ${made.length} model versions (expected 1: a retry reuses its version)`);
    const failedGame = load.samples.filter((s) => s.status < 200 || s.status >= 300);
    r.check(failedGame.length === 0, `${failedGame.length} game requests failed while the trainer died`);
  } finally {
    await load?.stop();
    await queue.close().catch(() => {});
    redis.disconnect();
    await Promise.all(services.map((s) => stopService(s)));
  }
}

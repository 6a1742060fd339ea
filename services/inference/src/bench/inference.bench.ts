// The inference service against the PyTorch peer (the trainer's own model with its KV cache),
// side by side on this machine with the same GPT-2 124M-shaped weights (random: speed does not
// depend on them): `npm run bench:inference [-- --precision int8|int4|fp32 --seconds N]`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { defaultArtifactRoot } from '@ttt/artifacts';
import { withDatabase } from '@ttt/db';
import { type RunningService, startServiceProcess } from '@ttt/observability/testing';
import { type LoadResult, runClients } from './load-clients.js';
import { seedBenchModel } from './seed-bench-model.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    precision: { type: 'string', default: 'int8' },
    seconds: { type: 'string', default: '20' },
    tokens: { type: 'string', default: '40' },
    model: { type: 'string' },
  },
});
const TOKENS = Number(values.tokens);
const SECONDS = Number(values.seconds);
const python = process.env.TRAINER_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const trainerDir = fileURLToPath(new URL('../../../trainer/python', import.meta.url));
const entry = fileURLToPath(new URL('../main.js', import.meta.url));
const work = join(defaultArtifactRoot(), 'bench', 'inference');
const modelDir = values.model ?? join(work, 'gpt2-random');
const databaseUrl = withDatabase(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt', 'ttt_bench_inference');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const say = (line: string) => process.stdout.write(`${line}\n`);
const trainer = async (args: string[]) => {
  const { stdout } = await run(python, ['-m', 'ttt_trainer', ...args], { cwd: trainerDir, maxBuffer: 64 << 20 });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
};

if (!existsSync(join(modelDir, 'onnx', 'model_q4.onnx'))) {
  say(`▸ writing a randomly initialised GPT-2 124M folder to ${modelDir} (once; about a minute)`);
  await rm(modelDir, { recursive: true, force: true });
  await mkdir(modelDir, { recursive: true });
  await trainer(['init', '--config', 'gpt2', '--seed', '1', '--out', modelDir]);
}

say('▸ PyTorch peer (ttt_trainer bench-generate: model.generate with its KV cache, top_k 50), torch defaults and 2 threads');
interface PeerLine { batch: number; tokens_per_second: number; seconds_per_sequence_p50: number; threads: number; torch: string }
const peer = new Map<number, PeerLine>();
for (const threads of [null, 2]) {
  const lines = await trainer(['bench-generate', '--weights', modelDir, '--batch', '1,8', '--new-tokens', String(TOKENS), '--rounds', '3', ...(threads ? ['--threads', String(threads)] : [])]);
  for (const l of lines.filter((e) => e.event === 'bench_generate') as unknown as PeerLine[]) {
    say(`  batch ${l.batch}, torch ${l.torch} with ${l.threads} thread(s): ${l.tokens_per_second.toFixed(1)} tokens/s, ${l.seconds_per_sequence_p50.toFixed(2)} s per ${TOKENS}-token batch`);
    // The peer at its best: the faster of the two settings.
    if ((peer.get(l.batch)?.tokens_per_second ?? 0) < l.tokens_per_second) peer.set(l.batch, l);
  }
}

say(`▸ this service (${values.precision}), over HTTP on this machine`);
await seedBenchModel(databaseUrl, join(work, 'store'), modelDir);
const env = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `bench-inference-${process.pid}`,
  ARTIFACT_STORE_URL: `file://${join(work, 'store')}`,
  INFERENCE_CACHE_DIR: join(work, 'cache'),
  INFERENCE_PRECISION: values.precision!,
  POOL_TARGET: '0',
  LOG_LEVEL: 'warn',
};
const url = (s: RunningService) => `${s.url}/v1/models/gpt2-twitter-bench/generate`;
const ready = async (s: RunningService) => {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(url(s), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"max_new_tokens":2}' });
    if (res.ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the model did not load');
};
const table: LoadResult[] = [];
// A one-token request is almost all overhead: what the gateway's hop adds shows against it.
const hop = { clients: 1, seconds: 3, minRounds: 50, tokens: 1 };
let direct: LoadResult;
const all = await startServiceProcess(entry, env, 60_000);
try {
  await ready(all);
  await runClients(url(all), { clients: 4, seconds: 2, minRounds: 1, tokens: TOKENS });
  direct = await runClients(url(all), hop);
  for (const clients of [1, 8, 32]) {
    const r = await runClients(url(all), { clients, seconds: SECONDS, minRounds: 2, tokens: TOKENS });
    table.push(r);
    say(`  ${String(clients).padStart(2)} client(s): ${r.tokensPerSecond.toFixed(1)} tokens/s, p50 ${(r.p50 / 1000).toFixed(2)} s, p99 ${(r.p99 / 1000).toFixed(2)} s per ${TOKENS}-token tweet (${r.requests} requests, ${r.errors} errors)`);
  }
} finally {
  await all.stop();
}

say('▸ through a gateway and a separate worker process (the Kubernetes layout)');
const worker = await startServiceProcess(entry, { ...env, INFERENCE_ROLE: 'worker' }, 60_000);
const gateway = await startServiceProcess(entry, { ...env, INFERENCE_ROLE: 'gateway' }, 60_000);
let split: LoadResult;
try {
  await ready(gateway);
  await runClients(url(gateway), { clients: 4, seconds: 2, minRounds: 1, tokens: TOKENS });
  split = await runClients(url(gateway), hop);
  const stream = await runClients(url(gateway), { clients: 1, seconds: Math.max(5, SECONDS / 2), minRounds: 5, tokens: TOKENS });
  say(`   1 client: ${stream.tokensPerSecond.toFixed(1)} tokens/s, p50 ${(stream.p50 / 1000).toFixed(3)} s per ${TOKENS}-token tweet`);
  say(`   a 1-token request: p50 ${split.p50.toFixed(1)} ms through the gateway, ${direct!.p50.toFixed(1)} ms in one process`);
} finally {
  await Promise.all([gateway.stop(), worker.stop()]);
}

const single = table[0]!;
const at32 = table[2]!;
const peer1 = peer.get(1)!;
const peer8 = peer.get(8)!;
say('\n== Summary');
say(`single stream: ${single.tokensPerSecond.toFixed(1)} vs peer ${peer1.tokens_per_second.toFixed(1)} tokens/s = ${(single.tokensPerSecond / peer1.tokens_per_second).toFixed(2)}× (goal ≥ 6×)`);
say(`32 concurrent: ${at32.tokensPerSecond.toFixed(1)} tokens/s vs peer batch 8 ${peer8.tokens_per_second.toFixed(1)} = ${(at32.tokensPerSecond / peer8.tokens_per_second).toFixed(2)}× (goal ≥ 8×)`);
say(`p99 of a ${TOKENS}-token tweet at 32 concurrent: ${(at32.p99 / 1000).toFixed(2)} s (goal ≤ 2 s)`);
say(`gateway → queue → worker adds ${(split!.p50 - direct!.p50).toFixed(1)} ms to a request at p50`);

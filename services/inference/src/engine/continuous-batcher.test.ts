import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModelFolder, referenceDecode } from '../../test/model-folder.js';
import { ContinuousBatcher } from './continuous-batcher.js';
import { GenerationAbortedError, ModelClosedError, QueueFullError } from './generation-errors.js';
import { Gpt2Onnx } from './gpt2-onnx.js';
import type { Precision } from './precision.js';
import type { SamplingParams } from './sampling-params.js';

const greedy: SamplingParams = { maxNewTokens: 24, minLength: 25, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 };
const sampled = (seed: number, extra: Partial<SamplingParams> = {}): SamplingParams => ({ ...greedy, temperature: 1, topK: 40, topP: 0.95, seed, ...extra });
const PROMPTS = [[50256], [50256, 464, 3290], [50256, 40, 892, 326, 262, 1171, 2003]];

describe('continuous batcher on a real exported model', () => {
  let dir: string;
  let model: string;
  const open: ContinuousBatcher[] = [];
  const batcher = async (precision: Precision, options: { maxBatch?: number; maxQueue?: number } = {}) => {
    const b = new ContinuousBatcher(await Gpt2Onnx.load(model, { precision, threads: 2 }), { name: 'test', maxBatch: options.maxBatch ?? 16, maxQueue: options.maxQueue ?? 100 });
    open.push(b);
    return b;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ttt-batcher-'));
    model = await initModelFolder(join(dir, 'model'), { config: 'tiny', seed: 11 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(open.map((b) => b.drain().catch(() => {})));
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes greedily exactly as the PyTorch reference with its KV cache, in fp32 and int8', async () => {
    const fp32 = await batcher('fp32');
    const int8 = await batcher('int8');
    const plain = { ...greedy, minLength: 0 };
    for (const prompt of [...PROMPTS, [50256, 1212, 318, 257]]) {
      // The reference decodes on past end-of-text; a served sequence ends there.
      const reference = await referenceDecode(model, prompt, greedy.maxNewTokens);
      const end = reference.indexOf(50256);
      const expected = end < 0 ? reference : reference.slice(0, end);
      expect((await fp32.submit(prompt, plain)).ids).toEqual(expected);
      expect((await int8.submit(prompt, plain)).ids).toEqual(expected);
    }
  }, 120_000);

  it('repeats a seeded sample and varies with the seed', async () => {
    const b = await batcher('int8');
    const a1 = await b.submit([50256], sampled(7));
    const a2 = await b.submit([50256], sampled(7));
    const other = await b.submit([50256], sampled(8));
    expect(a1.ids).toEqual(a2.ids);
    expect(other.ids).not.toEqual(a1.ids);
  });

  it.each(['int8', 'fp32'] as const)('gives each sequence the same tokens in a batch, joining mid-way, as alone (%s)', async (precision) => {
    const b = await batcher(precision);
    // Every fourth samples from the whole vocabulary (top_k 0): the steps it shares read all logits, the others the graph's ranking.
    const jobs = Array.from({ length: 12 }, (_, i) => ({ prompt: PROMPTS[i % 3]!, params: sampled(100 + i, { maxNewTokens: 10 + i, minLength: 0, topK: i % 4 === 3 ? 0 : 40 }) }));
    const alone: number[][] = [];
    for (const job of jobs) alone.push((await b.submit(job.prompt, job.params)).ids);
    // Staggered: later sequences join a batch already several steps in, and earlier ones leave.
    const together = await Promise.all(
      jobs.map(async (job, i) => {
        await new Promise((r) => setTimeout(r, i * 3));
        return (await b.submit(job.prompt, job.params)).ids;
      }),
    );
    expect(together).toEqual(alone);
  });

  it('draws the same tokens from the graph\'s ranking of the best 64 as from all logits', async () => {
    const b = await batcher('int8');
    expect(b.model.nextTopK).toBe(64);
    for (const [seed, params] of [[1, { topK: 40 }], [2, { topK: 63, topP: 0.9 }], [3, { topK: 5, minLength: 30 }], [4, { temperature: 0, minLength: 30 }]] as const) {
      const job = sampled(seed, { maxNewTokens: 30, ...params });
      const ranked = await b.submit([50256], job);
      // A companion that needs every logit makes each shared step fetch them all.
      const [full] = await Promise.all([b.submit([50256], job), b.submit([50256], sampled(9, { topK: 0, maxNewTokens: 40, minLength: 41 }))]);
      expect(full.ids).toEqual(ranked.ids);
    }
  });

  it('stops at end-of-text only once min_length is reached, and never passes max_new_tokens', async () => {
    const b = await batcher('int8');
    for (let seed = 0; seed < 20; seed++) {
      const r = await b.submit([50256], sampled(seed, { maxNewTokens: 12, minLength: 6 }));
      expect(r.ids.length).toBeLessThanOrEqual(12);
      expect(r.ids.length).toBeGreaterThanOrEqual(5);
      expect(r.ids).not.toContain(50256);
    }
  });

  it('refuses work past its queue with a Retry-After, drops a request given up while waiting, and recovers', async () => {
    const b = await batcher('int8', { maxBatch: 1, maxQueue: 2 });
    const long = sampled(1, { maxNewTokens: 60, minLength: 61 });
    const running = b.submit([50256], long);
    await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const waiting = b.submit([50256], long);
    const abandoned = b.submit([50256], long, controller.signal).catch((e: unknown) => e);
    const refused = await b.submit([50256], long).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);

    controller.abort(new GenerationAbortedError('disconnected'));
    expect(await abandoned).toBeInstanceOf(GenerationAbortedError);
    // Its place in the queue is free at once.
    expect(b.queueSize).toBeLessThanOrEqual(1);
    await Promise.all([running, waiting]);
    expect(b.load).toBe(0);
    expect((await b.submit([50256], sampled(2, { maxNewTokens: 5 }))).ids.length).toBeGreaterThan(0);
  });

  it('finishes what it holds when drained, then refuses new work', async () => {
    const b = await batcher('int8');
    const pending = Array.from({ length: 5 }, (_, i) => b.submit([50256], sampled(i, { maxNewTokens: 20, minLength: 21 })));
    const drained = b.drain();
    await expect(b.submit([50256], greedy)).rejects.toBeInstanceOf(ModelClosedError);
    for (const r of await Promise.all(pending)) expect(r.ids).toHaveLength(20);
    await drained;
  });
});

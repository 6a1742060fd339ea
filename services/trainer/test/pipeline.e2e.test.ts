import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Gpt2Tokenizer } from '@ttt/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTweets } from '../src/models/sample-tweets.js';
import type { ModelMetrics } from '../src/train/train-model.js';
import { CLI, type PipelineFixture, pipelineFixture } from './pipeline-fixture.js';

interface TrainOutput {
  modelVersionId: number;
  category: string | null;
  version: number;
  artifactUri: string;
  metrics: ModelMetrics;
}

const TINY_HP = { max_steps: 40, batch_size: 8, block_size: 64, learning_rate: 3e-3, warmup_steps: 4, eval_interval: 20, eval_iters: 4, checkpoint_interval: 20, log_interval: 1 };

describe('from tweets to a model @huggingface/transformers runs', () => {
  let f: PipelineFixture;
  let datasetId: number;
  let trained: TrainOutput;

  beforeAll(async () => {
    f = await pipelineFixture();
    const imported = await f.cli(CLI.import, ['--category', 'covid19', '--from', f.referenceFile('covid19')]);
    expect(imported.code, imported.stderr).toBe(0);
    const built = await f.cli(CLI.dataset, ['--category', 'covid19']);
    expect(built.code, built.stderr).toBe(0);
    datasetId = Number(/dataset (\d+) \(covid19\)/.exec(built.stdout)![1]);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('trains a tiny GPT-2 whose loss goes down, exports it and registers it with its metrics', async () => {
    const run = await f.cli(CLI.train, ['--dataset', String(datasetId), '--scratch', 'tiny', '--hp', JSON.stringify(TINY_HP), '--json']);
    expect(run.code, run.stderr).toBe(0);
    trained = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TrainOutput;
    const m = trained.metrics;
    expect(m.steps).toBe(40);
    // A fresh model guesses uniformly over 50,257 tokens: loss ln(50257) ≈ 10.8.
    expect(m.firstLoss).toBeGreaterThan(10);
    expect(m.trainLoss).toBeLessThan(m.firstLoss! - 2);
    expect(m.valLoss).toBeLessThan(9);
    // The export computes what PyTorch computes, on the very same windows.
    expect(Math.abs(m.onnx.fp32ValLoss - m.onnx.torchValLoss)).toBeLessThan(1e-3);
    expect(Math.abs(m.onnx.int8ValLoss - m.onnx.fp32ValLoss)).toBeLessThan(0.05);

    const { rows } = await f.pool.query('SELECT status, category_id IS NOT NULL AS has_category, metrics FROM model_versions WHERE id = $1', [trained.modelVersionId]);
    expect(rows[0]).toMatchObject({ status: 'ready', has_category: true, metrics: { valLoss: m.valLoss } });
    const dir = fileURLToPath(trained.artifactUri);
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'pytorch_model.bin']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  }, 300_000);

  it('is a folder @huggingface/transformers loads as is: same tokens as ours, and it writes text', async () => {
    const dir = fileURLToPath(trained.artifactUri);
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/../`;
    const theirs = await AutoTokenizer.from_pretrained(dir.split('/').at(-1)!);
    const ours = new Gpt2Tokenizer();
    for (const text of ['Stay home, save lives 🏠 #COVID19', 'We’re testing 1,000,000 people — CDC’s guidance']) {
      expect(theirs.encode(text, { add_special_tokens: false })).toEqual(ours.encode(text));
      expect(theirs.decode(ours.encode(text))).toBe(text);
    }
    for (const dtype of ['fp32', 'q8'] as const) {
      const tweets = await sampleTweets(dir, { count: 2, dtype, maxNewTokens: 20 });
      expect(tweets).toHaveLength(2);
      for (const t of tweets) expect(t.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('has fp32 and int8 pick the same next token most of the time', () => {
    expect(trained.metrics.onnx.nextTokenAgreement).toBeGreaterThan(0.8);
  });

  it('resumes a run killed with kill -9 from its last checkpoint', async () => {
    const hp = { ...TINY_HP, max_steps: 60, checkpoint_interval: 10 };
    const args = ['--dataset', String(datasetId), '--scratch', 'tiny', '--hp', JSON.stringify(hp), '--resume', 'killed-run', '--json'];
    const child = spawn(process.execPath, [CLI.train, ...args], { env: { ...process.env, ...f.env }, stdio: 'ignore' });
    const ckpt = join(f.workDir, 'runs', 'killed-run', 'ckpt.pt');
    for (let waited = 0; !existsSync(ckpt); waited += 200) {
      if (waited > 120_000) throw new Error('no checkpoint after 2 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    // The worker dies outright: the Python run under it must die too, not write on alone.
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const again = await f.cli(CLI.train, args);
    expect(again.code, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as TrainOutput;
    expect(out.metrics.resumedFrom).toBeGreaterThanOrEqual(10);
    expect(out.metrics.steps).toBe(60);
  }, 300_000);

  it('fails clearly on a corrupt token file, naming it', async () => {
    const { rows } = await f.pool.query('SELECT artifact_uri FROM datasets WHERE id = $1', [datasetId]);
    const trainBin = join(fileURLToPath(rows[0].artifact_uri), 'train.bin');
    const good = await readFile(trainBin);
    await writeFile(trainBin, good.subarray(0, good.length - 1));
    try {
      const run = await f.cli(CLI.train, ['--dataset', String(datasetId), '--scratch', 'tiny', '--hp', JSON.stringify(TINY_HP)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/train\.bin/);
      expect(run.stderr).toMatch(/odd|multiple of 2|corrupt/i);
    } finally {
      await writeFile(trainBin, good);
    }
  }, 120_000);

  it('says what to install when Python or torch is missing', async () => {
    const noPython = await f.cli(CLI.train, ['--dataset', String(datasetId), '--scratch', 'tiny'], { TRAINER_PYTHON: '/nonexistent/python3' });
    expect(noPython.code).toBe(1);
    expect(noPython.stderr).toMatch(/No Python 3 found.*apt-get install .*python3-torch/s);
    // A Python that cannot see its site packages cannot import torch.
    const bare = join(f.workDir, 'python-without-torch');
    await writeFile(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    await chmod(bare, 0o755);
    const noTorch = await f.cli(CLI.train, ['--dataset', String(datasetId), '--scratch', 'tiny'], { TRAINER_PYTHON: bare });
    expect(noTorch.code).toBe(1);
    expect(noTorch.stderr).toMatch(/No Python with PyTorch found.*torch.*apt-get install/s);
  }, 60_000);
});

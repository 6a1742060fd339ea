import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agreement, readTokenFile, scoreOnnx } from '../runtime/onnx-evaluator.js';
import type { PythonRuntime } from '../runtime/python-runtime.js';
import type { TrainerEvent } from '../runtime/trainer-events.js';
import type { ModelMetrics } from './model-metrics.js';

export async function compareOnnx(
  runtime: PythonRuntime,
  runDir: string,
  config: { n_layer: number; n_head: number; n_embd: number },
  valFiles: string[],
  windows: number,
  blockSize: number,
): Promise<ModelMetrics['onnx']> {
  // An even share of windows from each dataset's validation split.
  const per = Math.ceil(windows / valFiles.length) * blockSize + 1;
  const parts = await Promise.all(valFiles.map(async (f) => (await readTokenFile(f)).subarray(0, per)));
  const val = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (val.set(p, offset), offset + p.length), 0);
  const modelDir = join(runDir, 'model');
  const fp32Path = join(modelDir, 'onnx', 'model.onnx');
  const int8Path = join(modelDir, 'onnx', 'model_quantized.onnx');
  // Logits are batch × block × 50,257 floats: keep a batch of long windows under ~100 MB.
  const batch = Math.max(1, Math.min(4, Math.floor(512 / blockSize)));
  const fp32 = await scoreOnnx(fp32Path, config, val, { windows, blockSize, batch });
  const int8 = await scoreOnnx(int8Path, config, val, { windows, blockSize, batch });
  // PyTorch on exactly these windows: how faithful the export is, not sampling noise.
  const evalFile = join(runDir, 'eval.bin');
  await writeFile(evalFile, new Uint8Array(val.buffer, val.byteOffset, val.byteLength));
  const torch = (await runtime.run(['evaluate', '--weights', join(runDir, 'final'), '--val', evalFile, '--max-tokens', String(fp32.tokens), '--block-size', String(blockSize)])).find(
    (e) => e.event === 'evaluated',
  ) as Extract<TrainerEvent, { event: 'evaluated' }>;
  return {
    torchValLoss: torch.val_loss,
    fp32ValLoss: fp32.valLoss,
    int8ValLoss: int8.valLoss,
    nextTokenAgreement: agreement(fp32.argmax, int8.argmax),
    evalTokens: fp32.tokens,
    fp32Bytes: (await stat(fp32Path)).size,
    int8Bytes: (await stat(int8Path)).size,
  };
}

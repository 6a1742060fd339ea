import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';

export interface OnnxScores {
  /** Mean cross-entropy (nats per token) over the scored windows. */
  valLoss: number;
  tokens: number;
  /** The argmax next token at every scored position, for comparing two models. */
  argmax: Int32Array;
}

interface ModelShape {
  n_layer: number;
  n_head: number;
  n_embd: number;
}

/**
 * Scores an exported model on validation tokens the way a server will run it: onnxruntime with
 * an empty past. Both the fp32 and the int8 file go through here, so their losses compare.
 */
export async function scoreOnnx(
  modelPath: string,
  config: ModelShape,
  valTokens: Uint16Array,
  options: { windows: number; blockSize: number; batch?: number },
): Promise<OnnxScores> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
  try {
    const T = options.blockSize;
    const batch = options.batch ?? 4;
    const available = Math.floor((valTokens.length - 1) / T);
    const windows = Math.min(options.windows, available);
    if (windows < 1) throw new Error(`validation split has ${valTokens.length} tokens, fewer than one window of ${T + 1}`);
    const headDim = config.n_embd / config.n_head;
    const vocab = 50257;
    let nll = 0;
    const argmax = new Int32Array(windows * T);
    for (let w0 = 0; w0 < windows; w0 += batch) {
      const B = Math.min(batch, windows - w0);
      const ids = new BigInt64Array(B * T);
      const positions = new BigInt64Array(B * T);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
          ids[b * T + t] = BigInt(valTokens[(w0 + b) * T + t]!);
          positions[b * T + t] = BigInt(t);
        }
      }
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', ids, [B, T]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(B * T).fill(1n), [B, T]),
        position_ids: new ort.Tensor('int64', positions, [B, T]),
      };
      for (let i = 0; i < config.n_layer; i++) {
        for (const kind of ['key', 'value']) {
          feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [B, config.n_head, 0, headDim]);
        }
      }
      const { logits } = await session.run(feeds, ['logits']);
      const data = logits!.data as Float32Array;
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
          const row = data.subarray(((b * T) + t) * vocab, ((b * T) + t + 1) * vocab);
          let max = -Infinity;
          let best = 0;
          for (let v = 0; v < vocab; v++) if (row[v]! > max) (max = row[v]!), (best = v);
          let sum = 0;
          for (let v = 0; v < vocab; v++) sum += Math.exp(row[v]! - max);
          const target = valTokens[(w0 + b) * T + t + 1]!;
          nll += Math.log(sum) + max - row[target]!;
          argmax[(w0 + b) * T + t] = best;
        }
      }
    }
    return { valLoss: nll / (windows * T), tokens: windows * T, argmax };
  } finally {
    await session.release();
  }
}

/** A token file (little-endian uint16) as ids. */
export async function readTokenFile(path: string): Promise<Uint16Array> {
  const bytes = await readFile(path);
  if (bytes.length % 2 !== 0) throw new Error(`${path} is not a token file: its size (${bytes.length} bytes) is odd`);
  // A Uint16Array needs an even offset; a small file may sit at any offset of a shared buffer.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : Buffer.from(bytes);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
}

/** Share of positions where two models pick the same next token. */
export function agreement(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

import { END_OF_TEXT_ID } from '@ttt/tokenizer';
import type { Gpt2Onnx } from '../engine/gpt2-onnx.js';

export interface TokenScore {
  id: number;
  probability: number;
  rank: number;
}

/** Each token's probability and rank under the model, given end-of-text and the tokens before it. */
export async function scoreTokens(model: Gpt2Onnx, ids: number[]): Promise<TokenScore[]> {
  const seq = ids.length + 1;
  const input = new BigInt64Array(seq);
  const positions = new BigInt64Array(seq);
  input[0] = BigInt(END_OF_TEXT_ID);
  ids.forEach((id, i) => (input[i + 1] = BigInt(id)));
  for (let i = 0; i < seq; i++) positions[i] = BigInt(i);
  const out = await model.forward({ batch: 1, seq, inputIds: input, attentionMask: new BigInt64Array(seq).fill(1n), positionIds: positions, past: model.emptyPast(1) }, { logits: true });
  const vocab = model.shape.vocabSize;
  return ids.map((id, i) => {
    const row = out.logits!.subarray(i * vocab, (i + 1) * vocab);
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (row[v]! > max) max = row[v]!;
    let sum = 0;
    let above = 0;
    const own = row[id]!;
    for (let v = 0; v < vocab; v++) {
      sum += Math.exp(row[v]! - max);
      if (row[v]! > own) above++;
    }
    return { id, probability: Math.exp(own - max) / sum, rank: above + 1 };
  });
}

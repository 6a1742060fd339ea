import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelShape } from './model-shape.js';
import { MODEL_FILE, type Precision } from './precision.js';

export interface ForwardInput {
  batch: number;
  /** Tokens fed this step, [batch, seq] row-major. */
  inputIds: BigInt64Array;
  seq: number;
  /** 1 for a real token, 0 for padding: [batch, past + seq]. */
  attentionMask: BigInt64Array;
  positionIds: BigInt64Array;
  /** Per layer key then value, [batch, heads, past, headDim]. */
  past: ort.Tensor[];
}

export interface ForwardOutput {
  /** [batch, seq, vocab], when asked for. */
  logits: Float32Array | null;
  /** The best `nextTopK` next tokens after each row's last position, best first: [batch, k]. */
  top: { logits: Float32Array; ids: BigInt64Array } | null;
  /** The fed tokens' keys and values, per layer key then value: [batch, heads, seq, headDim]. */
  newKeyValues: Float32Array[];
}

/**
 * One exported GPT-2 (the trainer's layout) in onnxruntime. The graph takes a past of any
 * length, including none, so prefill and decode are the same call. Only the logits and the
 * fed tokens' keys and values are fetched: the grown cache (`present.*`) is never copied out.
 */
export class Gpt2Onnx {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly shape: ModelShape,
    readonly precision: Precision,
    private readonly pastNames: string[],
    private readonly outputNames: string[],
    /** Candidates the graph ranks itself (`next_top_*`); 0 for a model exported without them. */
    readonly nextTopK: number,
  ) {}

  static async load(dir: string, options: { precision: Precision; threads: number }): Promise<Gpt2Onnx> {
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, number>;
    const shape: ModelShape = {
      nLayer: config.n_layer!,
      nHead: config.n_head!,
      headDim: config.n_embd! / config.n_head!,
      nPositions: config.n_positions!,
      vocabSize: config.vocab_size!,
    };
    const session = await ort.InferenceSession.create(join(dir, MODEL_FILE[options.precision]), {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
    const pastNames: string[] = [];
    const outputNames: string[] = [];
    for (let i = 0; i < shape.nLayer; i++) {
      pastNames.push(`past_key_values.${i}.key`, `past_key_values.${i}.value`);
      outputNames.push(`new_key_values.${i}.key`, `new_key_values.${i}.value`);
    }
    const missing = outputNames.filter((name) => !session.outputNames.includes(name));
    // Exported before the graph ranked the next tokens itself: every step reads all logits.
    const topMeta = session.outputMetadata.find((m) => m.name === 'next_top_ids');
    const nextTopK = topMeta?.isTensor && typeof topMeta.shape[1] === 'number' ? topMeta.shape[1] : 0;
    if (missing.length > 0) {
      await session.release();
      throw new Error(`${dir} was exported without ${missing[0]} (and ${missing.length - 1} more): re-export it with the current trainer (ttt_trainer export)`);
    }
    return new Gpt2Onnx(session, shape, options.precision, pastNames, outputNames, nextTopK);
  }

  /** An empty past for `batch` rows: the first step of a batch that holds no cache yet. */
  emptyPast(batch: number): ort.Tensor[] {
    const { nLayer, nHead, headDim } = this.shape;
    return Array.from({ length: 2 * nLayer }, () => new ort.Tensor('float32', new Float32Array(0), [batch, nHead, 0, headDim]));
  }

  /** `logits: false` fetches only the ranked next tokens (when the graph has them), not the whole vocabulary's scores. */
  async forward(input: ForwardInput, want: { logits: boolean } = { logits: true }): Promise<ForwardOutput> {
    const { batch, seq } = input;
    const total = input.attentionMask.length / batch;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', input.inputIds, [batch, seq]),
      attention_mask: new ort.Tensor('int64', input.attentionMask, [batch, total]),
      position_ids: new ort.Tensor('int64', input.positionIds, [batch, seq]),
    };
    for (let i = 0; i < this.pastNames.length; i++) feeds[this.pastNames[i]!] = input.past[i]!;
    const logits = want.logits || this.nextTopK === 0;
    const fetch = [...this.outputNames, ...(logits ? ['logits'] : []), ...(this.nextTopK > 0 ? ['next_top_logits', 'next_top_ids'] : [])];
    const out = await this.session.run(feeds, fetch);
    return {
      logits: logits ? (out.logits!.data as Float32Array) : null,
      top: this.nextTopK > 0 ? { logits: out.next_top_logits!.data as Float32Array, ids: out.next_top_ids!.data as BigInt64Array } : null,
      newKeyValues: this.outputNames.map((name) => out[name]!.data as Float32Array),
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

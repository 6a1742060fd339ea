import { END_OF_TEXT_ID } from '@ttt/tokenizer';
import type { SamplingParams } from './sampling-params.js';
import type { SequenceRng } from './sequence-rng.js';

// Tokens more than this far (in nats) below the best one carry under e^-30 of its probability:
// leaving them out changes no draw a float could tell apart.
const NEGLIGIBLE_NATS = 30;

/**
 * The next token for one sequence from its row of logits, in Hugging Face's order: repetition
 * penalty, minimum length, temperature, top-k, top-p, then one draw. Overwrites `logits`.
 */
export function sampleToken(logits: Float32Array, history: readonly number[], params: SamplingParams, rng: SequenceRng): number {
  if (params.repetitionPenalty !== 1) {
    const seen = new Set(history);
    for (const id of seen) {
      const l = logits[id]!;
      logits[id] = l < 0 ? l * params.repetitionPenalty : l / params.repetitionPenalty;
    }
  }
  if (history.length < params.minLength) logits[END_OF_TEXT_ID] = -Infinity;
  if (params.temperature <= 0) return argmax(logits);

  if (params.topK > 0 && params.topK < logits.length) return drawFrom(logits, topKIndices(logits, params.topK), params, rng);
  return drawFromAll(logits, params, rng);
}

/** A draw among a few candidates (top-k): `logits[id]` scores each. */
function drawFrom(logits: Float32Array, candidates: number[], params: SamplingParams, rng: SequenceRng): number {
  candidates.sort((x, y) => logits[y]! - logits[x]! || x - y);
  return drawAmong(candidates, candidates.map((id) => logits[id]!), params, rng);
}

/**
 * Whether a sequence's next token can be drawn from the graph's own ranking of the best `k`:
 * top-k below k (one spare for end-of-text, which minimum length may bar), or greedy, and no
 * repetition penalty (which re-ranks tokens from anywhere in the vocabulary).
 */
export function fitsRanked(params: SamplingParams, k: number): boolean {
  return params.repetitionPenalty === 1 && (params.temperature <= 0 || (params.topK > 0 && params.topK < k));
}

/**
 * The same draw as sampleToken, from the graph's best `ids` (scores `logits`, best first)
 * instead of the whole vocabulary; only for parameters fitsRanked accepts.
 */
export function sampleRanked(logits: Float32Array, ids: BigInt64Array, history: readonly number[], params: SamplingParams, rng: SequenceRng): number {
  const barEnd = history.length < params.minLength;
  const candidates: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = Number(ids[i]);
    if (barEnd && id === END_OF_TEXT_ID) continue;
    candidates.push(id);
    scores.push(logits[i]!);
  }
  if (params.temperature <= 0) {
    // As argmax over the vocabulary: the lowest id among equal best scores.
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (scores[i]! > scores[best]! || (scores[i] === scores[best] && candidates[i]! < candidates[best]!)) best = i;
    return candidates[best]!;
  }
  const order = candidates.map((_, i) => i).sort((x, y) => scores[y]! - scores[x]! || candidates[x]! - candidates[y]!).slice(0, params.topK);
  return drawAmong(order.map((i) => candidates[i]!), order.map((i) => scores[i]!), params, rng);
}

/** One draw among candidates ordered best first (ties by id), after temperature and top-p. */
function drawAmong(ids: number[], scores: number[], params: SamplingParams, rng: SequenceRng): number {
  const best = scores[0]!;
  const weights = new Float64Array(ids.length);
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    const w = Math.exp((scores[i]! - best) / params.temperature);
    weights[i] = w;
    total += w;
  }
  let kept = ids.length;
  if (params.topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < ids.length; i++) {
      cumulative += weights[i]!;
      if (cumulative >= params.topP * total) {
        kept = i + 1;
        break;
      }
    }
    total = 0;
    for (let i = 0; i < kept; i++) total += weights[i]!;
  }
  let r = rng.next() * total;
  for (let i = 0; i < kept; i++) {
    r -= weights[i]!;
    if (r < 0) return ids[i]!;
  }
  return ids[kept - 1]!;
}

/**
 * A draw over the whole vocabulary without sorting token ids: top-p becomes a weight threshold
 * (found by sorting the weights alone, a typed-array sort), and the draw walks the tokens at or
 * above it in id order. Tokens tied exactly at the threshold are all kept.
 */
function drawFromAll(logits: Float32Array, params: SamplingParams, rng: SequenceRng): number {
  const best = logits[argmax(logits)]!;
  const floor = best - NEGLIGIBLE_NATS * params.temperature;
  const weights = new Float32Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i]!;
    if (l < floor) continue;
    const w = Math.exp((l - best) / params.temperature);
    weights[i] = w;
    total += w;
  }
  let threshold = 0;
  if (params.topP < 1) {
    const sorted = weights.slice().sort();
    let cumulative = 0;
    for (let i = sorted.length - 1; i >= 0; i--) {
      cumulative += sorted[i]!;
      if (cumulative >= params.topP * total) {
        threshold = sorted[i]!;
        break;
      }
    }
    total = 0;
    for (let i = 0; i < weights.length; i++) if (weights[i]! >= threshold) total += weights[i]!;
  }
  let r = rng.next() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0 || w < threshold) continue;
    last = i;
    r -= w;
    if (r < 0) return i;
  }
  return last;
}

export function argmax(values: Float32Array): number {
  let best = 0;
  let max = values[0]!;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > max) {
      max = values[i]!;
      best = i;
    }
  }
  return best;
}

/**
 * Indices of the k largest finite values: a min-heap of k whose smallest value is kept in a
 * local, so the 50,000-odd values that cannot enter cost one comparison each.
 */
function topKIndices(values: Float32Array, k: number): number[] {
  const n = Math.min(k, values.length);
  const index = new Int32Array(n);
  const value = new Float32Array(n);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && value[l]! < value[m]!) m = l;
      if (r < n && value[r]! < value[m]!) m = r;
      if (m === i) return;
      const vi = value[i]!;
      const ii = index[i]!;
      value[i] = value[m]!;
      index[i] = index[m]!;
      value[m] = vi;
      index[m] = ii;
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    index[i] = i;
    value[i] = values[i]!;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(i);
  let floor = value[0]!;
  for (let i = n; i < values.length; i++) {
    const v = values[i]!;
    if (v <= floor) continue;
    value[0] = v;
    index[0] = i;
    siftDown(0);
    floor = value[0]!;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (value[i] !== -Infinity) out.push(index[i]!);
  return out;
}

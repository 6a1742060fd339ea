import { performance } from 'node:perf_hooks';
import { END_OF_TEXT_ID } from '@ttt/tokenizer';
import { type BatcherObserver, silentObserver } from './batcher-observer.js';
import { GenerationAbortedError, ModelClosedError, QueueFullError } from './generation-errors.js';
import type { ForwardOutput, Gpt2Onnx } from './gpt2-onnx.js';
import { KvCache } from './kv-cache.js';
import { fitsRanked, sampleRanked, sampleToken } from './sample-token.js';
import type { SamplingParams } from './sampling-params.js';
import type { SequenceResult } from './sequence-result.js';
import { SequenceRng } from './sequence-rng.js';

export interface BatcherOptions {
  /** Most sequences decoded together. */
  maxBatch: number;
  /** Most sequences waiting for a slot; past it, submit throws QueueFullError. */
  maxQueue: number;
  /** Names the model in errors. */
  name: string;
  observer?: BatcherObserver;
}

interface Pending {
  promptIds: number[];
  params: SamplingParams;
  signal?: AbortSignal;
  enqueuedAt: number;
  resolve: (result: SequenceResult) => void;
  reject: (error: Error) => void;
}

interface Row {
  job: Pending;
  rng: SequenceRng;
  history: number[];
  generated: number[];
  /** Tokens of this sequence whose keys and values are in the cache (slots 0 .. cached-1 of its row). */
  cached: number;
  /** Fed at the next decode step. */
  next: number;
  startedAt: number;
  done: boolean;
}

/**
 * Continuous batching over one model: sequences join and leave the running batch between
 * decode steps. Each sequence owns a row of the cache (see KvCache), and the attention mask
 * hides the slots a row has not filled, so rows of any length decode together. A one-token
 * prompt (end-of-text, the game's case) needs no prefill: it joins with an empty row and its
 * token is fed with the next decode step. Longer prompts are prefilled together first.
 */
export class ContinuousBatcher {
  private readonly waiting: Pending[] = [];
  /** Row i of the batch is row i of the cache. */
  private rows: Row[] = [];
  private cache: KvCache;
  private readonly tasks: Array<() => Promise<void>> = [];
  private wake: (() => void) | null = null;
  private closing = false;
  private readonly stopped: Promise<void>;
  private readonly observer: BatcherObserver;
  /** Moving average of a sequence's seconds in the batch, for Retry-After. */
  private sequenceSeconds = 1;

  constructor(
    readonly model: Gpt2Onnx,
    private readonly options: BatcherOptions,
  ) {
    this.observer = options.observer ?? silentObserver;
    this.cache = new KvCache(model.shape);
    this.stopped = this.loop();
  }

  get queueSize(): number {
    return this.waiting.length;
  }

  get batchSize(): number {
    return this.rows.length;
  }

  /** Sequences waiting or running: zero means a drained model may be released. */
  get load(): number {
    return this.waiting.length + this.rows.length;
  }

  submit(promptIds: number[], params: SamplingParams, signal?: AbortSignal): Promise<SequenceResult> {
    if (this.closing) return Promise.reject(new ModelClosedError(this.options.name));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (promptIds.length === 0) return Promise.reject(new RangeError('a prompt needs at least one token'));
    if (this.waiting.length >= this.options.maxQueue) return Promise.reject(new QueueFullError(this.retryAfterSeconds()));
    return new Promise<SequenceResult>((resolve, reject) => {
      const job: Pending = { promptIds, params, signal, enqueuedAt: performance.now(), resolve, reject };
      this.waiting.push(job);
      // A request given up while waiting leaves the queue at once, not when its turn comes.
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(job);
          if (at >= 0) {
            this.waiting.splice(at, 1);
            reject(abortError(signal));
          }
        },
        { once: true },
      );
      this.poke();
    });
  }

  /** Runs `work` between two decode steps, with the model to itself (scoring a text). */
  runExclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new ModelClosedError(this.options.name));
    return new Promise<T>((resolve, reject) => {
      this.tasks.push(() => work().then(resolve, reject));
      this.poke();
    });
  }

  /** Refuses new work, finishes what was submitted, then releases the model. */
  async drain(): Promise<void> {
    this.closing = true;
    this.poke();
    await this.stopped;
    await this.model.release();
  }

  private retryAfterSeconds(): number {
    const rounds = Math.ceil((this.waiting.length + 1) / this.options.maxBatch);
    return Math.max(1, Math.ceil(rounds * this.sequenceSeconds));
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async loop(): Promise<void> {
    for (;;) {
      while (this.tasks.length > 0) await this.tasks.shift()!();
      if (this.rows.length === 0 && this.waiting.length === 0) {
        if (this.closing) return;
        // Idle: give back a burst's worth of cache rather than keep it for the next one.
        if (this.cache.slots > 0) this.cache = new KvCache(this.model.shape);
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        const room = this.options.maxBatch - this.rows.length;
        if (room > 0 && this.waiting.length > 0) await this.admit(this.waiting.splice(0, room));
        if (this.rows.length === 0) continue;
        await this.decodeStep();
      } catch (error) {
        // A failed forward fails the sequences it carried, not the server.
        for (const row of this.rows) if (!row.done) row.job.reject(error as Error);
        this.rows = [];
        this.cache.rows = 0;
      }
      this.observer.sizes(this.waiting.length, this.rows.length);
    }
  }

  private async admit(jobs: Pending[]): Promise<void> {
    const now = performance.now();
    const fresh = (job: Pending): Row => ({
      job,
      rng: new SequenceRng(job.params.seed),
      history: [...job.promptIds],
      generated: [],
      cached: 0,
      next: job.promptIds[0]!,
      startedAt: now,
      done: false,
    });
    const short = jobs.filter((j) => j.promptIds.length === 1);
    const long = jobs.filter((j) => j.promptIds.length > 1);
    for (const job of short) this.join(fresh(job));
    if (long.length === 0) return;
    const rows = long.map(fresh);
    try {
      await this.prefill(rows);
    } catch (error) {
      for (const row of rows) if (!row.done) row.job.reject(error as Error);
    }
  }

  /** Runs longer prompts (left-padded together) through the model; each row gets its first token. */
  private async prefill(rows: Row[]): Promise<void> {
    const n = rows.length;
    const width = Math.max(...rows.map((r) => r.history.length));
    const ids = new BigInt64Array(n * width).fill(BigInt(END_OF_TEXT_ID));
    const mask = new BigInt64Array(n * width);
    const positions = new BigInt64Array(n * width);
    rows.forEach((row, i) => {
      const pad = width - row.history.length;
      row.history.forEach((id, j) => {
        ids[i * width + pad + j] = BigInt(id);
        mask[i * width + pad + j] = 1n;
        positions[i * width + pad + j] = BigInt(j);
      });
    });
    const started = performance.now();
    const logits = this.needsLogits(rows);
    const out = await this.model.forward({ batch: n, seq: width, inputIds: ids, attentionMask: mask, positionIds: positions, past: this.model.emptyPast(n) }, { logits });
    this.observer.forward('prefill', n, (performance.now() - started) / 1000);
    rows.forEach((row, i) => {
      const length = row.history.length;
      this.accept(row, this.sample(out, i, logits ? i * width + width - 1 : -1, row));
      if (row.done) return;
      const index = this.join(row);
      this.cache.reserve(this.rows.length, length + 1);
      this.cache.write(index, 0, out.newKeyValues, i, width, width - length, length);
      row.cached = length;
    });
  }

  /** Gives a sequence a cache row; returns its index (the same in `rows`). */
  private join(row: Row): number {
    const index = this.cache.addRow();
    this.rows[index] = row;
    return index;
  }

  private async decodeStep(): Promise<void> {
    const rows = this.rows;
    const batch = rows.length;
    // Every row writes its fed token at slot `cached`: there must be one.
    this.cache.reserve(batch, Math.max(...rows.map((r) => r.cached)) + 1);
    const slots = this.cache.slots;
    const ids = new BigInt64Array(batch);
    const positions = new BigInt64Array(batch);
    const mask = new BigInt64Array(batch * (slots + 1));
    rows.forEach((row, i) => {
      ids[i] = BigInt(row.next);
      positions[i] = BigInt(row.cached);
      mask.fill(1n, i * (slots + 1), i * (slots + 1) + row.cached);
      mask[i * (slots + 1) + slots] = 1n;
    });
    const started = performance.now();
    const logits = this.needsLogits(rows);
    const out = await this.model.forward({ batch, seq: 1, inputIds: ids, attentionMask: mask, positionIds: positions, past: this.cache.tensors() }, { logits });
    this.observer.forward('decode', batch, (performance.now() - started) / 1000);
    rows.forEach((row, i) => {
      this.cache.write(i, row.cached, out.newKeyValues, i, 1, 0, 1);
      row.cached += 1;
      if (row.job.signal?.aborted) {
        row.done = true;
        row.job.reject(abortError(row.job.signal));
        return;
      }
      this.accept(row, this.sample(out, i, i, row));
    });
    if (rows.some((r) => r.done)) {
      const started = performance.now();
      // From the end, so each move fills a hole with a row still running.
      for (let i = rows.length - 1; i >= 0; i--) {
        if (!rows[i]!.done) continue;
        this.cache.removeRow(i);
        const last = rows.pop()!;
        if (i < rows.length) rows[i] = last;
      }
      this.observer.concat((performance.now() - started) / 1000);
    }
  }

  /**
   * Whole-vocabulary logits are copied out of the model only when some row needs them; most
   * requests (top-k sampling, greedy) draw from the graph's own ranking of the best tokens, which
   * spares copying and scanning 50,257 scores per row at every step.
   */
  private needsLogits(rows: Row[]): boolean {
    const k = this.model.nextTopK;
    return k === 0 || rows.some((r) => !fitsRanked(r.job.params, k));
  }

  /** Row `row`'s next token, from its logits at `position` (of the fetched [batch·seq] rows) or from the ranking. */
  private sample(out: ForwardOutput, row: number, position: number, seq: Row): number {
    const { params } = seq.job;
    if (out.logits) {
      const vocab = this.model.shape.vocabSize;
      return sampleToken(out.logits.subarray(position * vocab, (position + 1) * vocab), seq.history, params, seq.rng);
    }
    const k = this.model.nextTopK;
    return sampleRanked(out.top!.logits.subarray(row * k, (row + 1) * k), out.top!.ids.subarray(row * k, (row + 1) * k), seq.history, params, seq.rng);
  }

  /** Takes a sampled token: ends the sequence on end-of-text, its length or the context. */
  private accept(row: Row, token: number): void {
    if (token === END_OF_TEXT_ID) return this.finish(row, 'eos');
    row.generated.push(token);
    row.history.push(token);
    row.next = token;
    if (row.generated.length >= row.job.params.maxNewTokens || row.cached >= this.model.shape.nPositions) this.finish(row, 'length');
  }

  private finish(row: Row, reason: 'eos' | 'length'): void {
    row.done = true;
    const now = performance.now();
    const inferenceSeconds = (now - row.startedAt) / 1000;
    this.sequenceSeconds = 0.9 * this.sequenceSeconds + 0.1 * inferenceSeconds;
    row.job.resolve({
      ids: row.generated,
      finishReason: reason,
      queueSeconds: (row.startedAt - row.job.enqueuedAt) / 1000,
      inferenceSeconds,
    });
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error && signal.reason.name === 'GenerationAbortedError' ? signal.reason : new GenerationAbortedError('aborted');
}

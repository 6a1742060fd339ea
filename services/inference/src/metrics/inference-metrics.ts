import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BatcherObserver } from '../engine/batcher-observer.js';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const TOKENS = [1, 5, 10, 20, 40, 80, 160, 320, 640, 1024];

/**
 * Serving metrics under the names text-generation-inference uses, so dashboards and alerts
 * written for it read ours; `model` tells the categories' models apart.
 */
export class InferenceMetrics {
  readonly requestCount: Counter<'model'>;
  readonly requestSuccess: Counter<'model'>;
  readonly requestFailure: Counter<'model' | 'err'>;
  readonly queueSize: Gauge<'model'>;
  readonly batchSize: Gauge<'model'>;
  readonly requestDuration: Histogram<'model'>;
  readonly queueDuration: Histogram<'model'>;
  readonly inferenceDuration: Histogram<'model'>;
  readonly timePerToken: Histogram<'model'>;
  readonly generatedTokens: Histogram<'model'>;
  readonly inputLength: Histogram<'model'>;
  readonly forwardDuration: Histogram<'model' | 'method'>;
  readonly forwardCount: Counter<'model' | 'method'>;
  readonly concatDuration: Histogram<'model'>;
  readonly poolRejections: Counter<'model' | 'reason'>;
  readonly poolAccepted: Counter<'model'>;

  constructor(registry: Registry) {
    const r = [registry];
    this.requestCount = new Counter({ name: 'tgi_request_count', help: 'Generation requests received', labelNames: ['model'], registers: r });
    this.requestSuccess = new Counter({ name: 'tgi_request_success', help: 'Generation requests answered', labelNames: ['model'], registers: r });
    this.requestFailure = new Counter({ name: 'tgi_request_failure', help: 'Generation requests failed, by cause', labelNames: ['model', 'err'], registers: r });
    this.queueSize = new Gauge({ name: 'tgi_queue_size', help: 'Sequences waiting for a batch slot', labelNames: ['model'], registers: r });
    this.batchSize = new Gauge({ name: 'tgi_batch_current_size', help: 'Sequences in the running batch', labelNames: ['model'], registers: r });
    this.requestDuration = new Histogram({ name: 'tgi_request_duration', help: 'Seconds from request to answer', labelNames: ['model'], buckets: SECONDS, registers: r });
    this.queueDuration = new Histogram({ name: 'tgi_request_queue_duration', help: 'Seconds a sequence waited for a batch slot', labelNames: ['model'], buckets: SECONDS, registers: r });
    this.inferenceDuration = new Histogram({ name: 'tgi_request_inference_duration', help: 'Seconds a sequence spent in the batch', labelNames: ['model'], buckets: SECONDS, registers: r });
    this.timePerToken = new Histogram({ name: 'tgi_request_mean_time_per_token_duration', help: 'Seconds per generated token, per sequence', labelNames: ['model'], buckets: SECONDS, registers: r });
    this.generatedTokens = new Histogram({ name: 'tgi_request_generated_tokens', help: 'Tokens generated per sequence', labelNames: ['model'], buckets: TOKENS, registers: r });
    this.inputLength = new Histogram({ name: 'tgi_request_input_length', help: 'Prompt tokens per request', labelNames: ['model'], buckets: TOKENS, registers: r });
    this.forwardDuration = new Histogram({ name: 'tgi_batch_forward_duration', help: 'Seconds per model forward, prefill or decode', labelNames: ['model', 'method'], buckets: SECONDS, registers: r });
    this.forwardCount = new Counter({ name: 'tgi_batch_inference_count', help: 'Model forwards, prefill or decode', labelNames: ['model', 'method'], registers: r });
    this.concatDuration = new Histogram({ name: 'tgi_batch_concat_duration', help: 'Seconds spent regrouping the cache when sequences join or leave', labelNames: ['model'], buckets: SECONDS, registers: r });
    this.poolAccepted = new Counter({ name: 'ttt_pool_generated_accepted_total', help: 'Machine tweets added to the game pool', labelNames: ['model'], registers: r });
    this.poolRejections = new Counter({ name: 'ttt_pool_generated_rejected_total', help: 'Machine tweets refused by the pool, by reason', labelNames: ['model', 'reason'], registers: r });
  }

  observerFor(model: string): BatcherObserver {
    return {
      forward: (method, _batch, seconds) => {
        this.forwardDuration.observe({ model, method }, seconds);
        this.forwardCount.inc({ model, method });
      },
      concat: (seconds) => this.concatDuration.observe({ model }, seconds),
      sizes: (queue, batch) => {
        this.queueSize.set({ model }, queue);
        this.batchSize.set({ model }, batch);
      },
    };
  }
}

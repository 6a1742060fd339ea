import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactEnvSchema, baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

const whole = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(min).max(max).default(fallback);

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3001),
  ...artifactEnvSchema.shape,
  /**
   * all: HTTP and generation in one process. gateway: HTTP only, generation requests go to
   * workers through the `inference` queue. worker: generation only (queue, pool, evaluate).
   */
  INFERENCE_ROLE: z.enum(['all', 'gateway', 'worker']).default('all'),
  /** int8 serves onnx/model_quantized.onnx, int4 onnx/model_q4.onnx, fp32 onnx/model.onnx. */
  INFERENCE_PRECISION: z.enum(['int8', 'int4', 'fp32']).default('int8'),
  /** onnxruntime's threads per model; default: every core. */
  INFERENCE_THREADS: whole(1, 256, availableParallelism()),
  /** Sequences decoded together per model. */
  INFERENCE_MAX_BATCH: whole(1, 256, 32),
  /** Sequences waiting for a slot per model before requests get 429. */
  INFERENCE_MAX_QUEUE: whole(0, 100_000, 256),
  /** A request not answered by then gets 503 and its sequences leave the batch. */
  INFERENCE_REQUEST_TIMEOUT_MS: whole(100, 600_000, 30_000),
  /** Upper bound of max_new_tokens a request may ask for. */
  INFERENCE_MAX_NEW_TOKENS: whole(1, 1024, 256),
  /** How often the active versions are re-read from Postgres; events make most swaps sooner. */
  INFERENCE_REFRESH_MS: whole(100, 3_600_000, 15_000),
  /** Local copies of models fetched from an object store. */
  INFERENCE_CACHE_DIR: z.string().min(1).default(join(tmpdir(), 'ttt-inference-models')),
  /** Unserved machine tweets kept per active model version (0 turns the pool off). */
  POOL_TARGET: whole(0, 100_000, 200),
  /** How often pool levels are checked. */
  POOL_CHECK_MS: whole(100, 3_600_000, 10_000),
  /** Sampling of the pool's machine tweets (shown to players in the reveal). */
  POOL_TEMPERATURE: z.coerce.number({ error: 'a number' }).min(0.05).max(5).default(1),
  POOL_TOP_K: whole(0, 50257, 50),
  POOL_TOP_P: z.coerce.number({ error: 'a number' }).gt(0).max(1).default(0.95),
  POOL_MAX_NEW_TOKENS: whole(8, 256, 64),
  /** Machine tweets generated per `evaluate` job, set against as many held-out human ones. */
  EVALUATE_SAMPLES: whole(20, 20_000, 400),
});

export type Config = z.output<typeof envSchema>;

export const INFERENCE_CONFIG = Symbol('INFERENCE_CONFIG');

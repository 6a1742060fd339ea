import type { Config } from '../config.js';
import type { SamplingParams } from '../engine/sampling-params.js';

/** The pool's sampling settings for one sequence; the seed makes each machine tweet reproducible. */
export function poolSampling(config: Config, seed: number): SamplingParams {
  return {
    maxNewTokens: config.POOL_MAX_NEW_TOKENS,
    minLength: 0,
    temperature: config.POOL_TEMPERATURE,
    topK: config.POOL_TOP_K,
    topP: config.POOL_TOP_P,
    repetitionPenalty: 1,
    seed,
  };
}

/** The settings as stored with a machine tweet and shown in the reveal (the API's names). */
export function samplingRecord(params: SamplingParams): Record<string, unknown> {
  return {
    max_new_tokens: params.maxNewTokens,
    temperature: params.temperature,
    top_k: params.topK,
    top_p: params.topP,
    repetition_penalty: params.repetitionPenalty,
    seed: params.seed,
  };
}

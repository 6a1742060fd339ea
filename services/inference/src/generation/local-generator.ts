import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { END_OF_TEXT_ID, type Gpt2Tokenizer } from '@ttt/tokenizer';
import { ModelClosedError } from '../engine/generation-errors.js';
import type { SamplingParams } from '../engine/sampling-params.js';
import type { InferenceMetrics } from '../metrics/inference-metrics.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { modelName } from '../models/model-name.js';
import { UnknownModelError } from '../models/unknown-model-error.js';
import type { GenerateBody } from './generate-body.js';
import { GenerationInputError } from './generation-input-error.js';
import type { GenerateResponse, ScoreResponse } from './generation-types.js';
import type { Generator } from './generator.js';
import { scoreTokens } from './score-text.js';

// A model swapped out between resolving and submitting refuses the request; the next resolve
// finds its successor. Two retries cover a swap landing twice in a row.
const SWAP_RETRIES = 2;

/** Generation in this process, on the models the registry holds. */
export class LocalGenerator implements Generator {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly tokenizer: Gpt2Tokenizer,
    private readonly metrics: InferenceMetrics | null,
  ) {}

  async generate(name: string, body: GenerateBody, signal: AbortSignal): Promise<GenerateResponse> {
    const started = performance.now();
    const promptIds = [END_OF_TEXT_ID, ...(body.prompt ? this.tokenizer.encode(body.prompt) : [])];
    const seed = body.seed ?? randomInt(2 ** 31);
    const label = { model: name.split('@')[0]! };
    // A name no model answers to is refused before it is counted: counting it would make a
    // metrics series for every name a client makes up. (A model still loading is counted.)
    const first = await this.registry.resolve(name).catch((error: unknown) => {
      if (error instanceof UnknownModelError) throw error;
      return null;
    });
    this.metrics?.requestCount.inc(label);
    this.metrics?.inputLength.observe(label, promptIds.length - 1);
    try {
      for (let attempt = 0; ; attempt++) {
        const model = attempt === 0 && first ? first : await this.registry.resolve(name);
        try {
          const response = await this.run(model, promptIds, body, seed, signal);
          this.metrics?.requestSuccess.inc(label);
          this.metrics?.requestDuration.observe(label, (performance.now() - started) / 1000);
          return response;
        } catch (error) {
          if (!(error instanceof ModelClosedError) || attempt >= SWAP_RETRIES) throw error;
        }
      }
    } catch (error) {
      this.metrics?.requestFailure.inc({ ...label, err: (error as Error).name });
      throw error;
    }
  }

  async score(name: string, text: string): Promise<ScoreResponse> {
    const ids = this.tokenizer.encode(text);
    for (let attempt = 0; ; attempt++) {
      const model = await this.registry.resolve(name);
      if (ids.length + 1 > model.batcher.model.shape.nPositions) {
        throw new GenerationInputError(`text is ${ids.length} tokens; ${model.name} reads at most ${model.batcher.model.shape.nPositions - 1}`);
      }
      try {
        const scores = await model.batcher.runExclusive(() => scoreTokens(model.batcher.model, ids));
        return {
          model: model.name,
          model_version_id: model.row.id,
          tokens: scores.map((s) => ({ token: this.tokenizer.decode([s.id]), ...s })),
        };
      } catch (error) {
        if (!(error instanceof ModelClosedError) || attempt >= SWAP_RETRIES) throw error;
      }
    }
  }

  private async run(model: LoadedModel, promptIds: number[], body: GenerateBody, seed: number, signal: AbortSignal): Promise<GenerateResponse> {
    const context = model.batcher.model.shape.nPositions;
    if (promptIds.length + body.max_new_tokens > context) {
      throw new GenerationInputError(
        `prompt (${promptIds.length} tokens with end-of-text) + max_new_tokens (${body.max_new_tokens}) exceeds ${model.name}'s context of ${context} tokens`,
      );
    }
    const label = { model: modelName(model.row.category) };
    const results = await Promise.all(
      Array.from({ length: body.num_return_sequences }, (_, i) => {
        const params: SamplingParams = {
          maxNewTokens: body.max_new_tokens,
          minLength: body.min_length,
          temperature: body.temperature,
          topK: body.top_k,
          topP: body.top_p,
          repetitionPenalty: body.repetition_penalty,
          seed: (seed + i) >>> 0,
        };
        return model.batcher.submit(promptIds, params, signal);
      }),
    );
    for (const r of results) {
      this.metrics?.queueDuration.observe(label, r.queueSeconds);
      this.metrics?.inferenceDuration.observe(label, r.inferenceSeconds);
      this.metrics?.generatedTokens.observe(label, r.ids.length);
      if (r.ids.length > 0) this.metrics?.timePerToken.observe(label, r.inferenceSeconds / r.ids.length);
    }
    return {
      output: results.map((r, i) => {
        const text = this.tokenizer.decode(r.ids);
        return {
          generated_text: body.return_full_text && body.prompt ? body.prompt + text : text,
          generated_tokens: r.ids.length,
          finish_reason: r.finishReason,
          seed: (seed + i) >>> 0,
        };
      }),
      model: model.name,
      model_version_id: model.row.id,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { currentRequestId, REQUEST_ID_HEADER } from '@ttt/contracts';
import type { Config } from '../../config.js';
import { GAME_CONFIG } from '../game.tokens.js';

export interface ScoredToken {
  token: string;
  probability: number;
  rank: number;
}

export interface ScoreAnswer {
  model: string;
  model_version_id: number;
  tokens: ScoredToken[];
}

export interface GenerateAnswer {
  model: string;
  model_version_id: number;
  output: Array<{ generated_text: string; generated_tokens: number; finish_reason: 'eos' | 'length'; seed: number }>;
}

/** The inference service could not answer: down, overloaded, too slow, or no such model. */
export class InferenceUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

/** The inference service's HTTP API, as the game uses it. */
@Injectable()
export class InferenceClient {
  constructor(@Inject(GAME_CONFIG) private readonly config: Config) {}

  score(modelName: string, text: string): Promise<ScoreAnswer> {
    return this.post<ScoreAnswer>(`${modelName}/score`, { text }, this.config.GAME_SCORE_TIMEOUT_MS);
  }

  generate(modelName: string, body: Record<string, unknown>): Promise<GenerateAnswer> {
    return this.post<GenerateAnswer>(`${modelName}/generate`, body, this.config.GAME_LIVE_GENERATION_TIMEOUT_MS);
  }

  private async post<T>(path: string, body: unknown, timeoutMs: number): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(`v1/models/${path}`, withSlash(this.config.INFERENCE_URL)), {
        method: 'POST',
        // The player's request id goes along, so inference logs the work under it too.
        headers: { 'content-type': 'application/json', ...requestIdHeader() },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      throw new InferenceUnavailableError(`the inference service did not answer: ${reason}`, 5);
    }
    if (!res.ok) {
      const detail = await res.text().catch(() => '');
      const retry = Number(res.headers.get('retry-after')) || 5;
      throw new InferenceUnavailableError(`the inference service answered ${res.status}: ${detail.slice(0, 200)}`, retry);
    }
    return (await res.json()) as T;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function requestIdHeader(): Record<string, string> {
  const id = currentRequestId();
  return id === undefined ? {} : { [REQUEST_ID_HEADER]: id };
}

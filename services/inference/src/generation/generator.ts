import type { GenerateBody } from './generate-body.js';
import type { GenerateResponse, ScoreResponse } from './generation-types.js';

/** Generation as the HTTP layer sees it: in this process, or on workers behind a queue. */
export interface Generator {
  generate(model: string, body: GenerateBody, signal: AbortSignal): Promise<GenerateResponse>;
  score(model: string, text: string, signal: AbortSignal): Promise<ScoreResponse>;
}

export const GENERATOR = Symbol('GENERATOR');

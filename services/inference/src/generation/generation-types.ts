export interface GeneratedOutput {
  generated_text: string;
  generated_tokens: number;
  finish_reason: 'eos' | 'length';
  seed: number;
}

export interface GenerateResponse {
  output: GeneratedOutput[];
  /** `gpt2-twitter-<category>@<version>`: the version that answered. */
  model: string;
  model_version_id: number;
}

export interface ScoredToken {
  token: string;
  id: number;
  /** The model's probability of this token given the ones before it. */
  probability: number;
  /** 1 when the model's top pick; GLTR colours by it (top 10, top 100, top 1000, beyond). */
  rank: number;
}

export interface ScoreResponse {
  model: string;
  model_version_id: number;
  tokens: ScoredToken[];
}

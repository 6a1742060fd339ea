/** How one sequence is decoded; the HTTP body's snake_case fields, checked and defaulted. */
export interface SamplingParams {
  maxNewTokens: number;
  /** Fewest tokens in the whole sequence, prompt included (as in Hugging Face's generate): end-of-text is barred until then. */
  minLength: number;
  /** 0 decodes greedily. */
  temperature: number;
  /** 0 keeps every token. */
  topK: number;
  /** 1 keeps every token. */
  topP: number;
  /** 1 is none; above 1 discourages tokens already in the sequence (CTRL's penalty). */
  repetitionPenalty: number;
  seed: number;
}

export interface SequenceResult {
  /** The new tokens, end-of-text excluded. */
  ids: number[];
  finishReason: 'eos' | 'length';
  /** Seconds spent waiting for a slot in the batch. */
  queueSeconds: number;
  /** Seconds from joining the batch to the last token. */
  inferenceSeconds: number;
}

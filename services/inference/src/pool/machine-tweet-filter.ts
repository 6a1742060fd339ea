import { servableTweet } from '@ttt/text';
import type { TrainingIndex } from '../evaluate/memorization.js';

/**
 * Why a generated text may not go into the pool (`truncated`, a dataset drop reason,
 * `too_long` or `training_copy`); null when it may.
 */
export function machineTweetRejection(text: string, training: TrainingIndex, finishReason: 'eos' | 'length'): string | null {
  // Cut off at max_new_tokens, a tweet stops mid-sentence, which no person's tweet does: the
  // game would give it away.
  if (finishReason === 'length') return 'truncated';
  const servable = servableTweet(text);
  if (servable.rejection) return servable.rejection;
  if (training.isCopy(servable.text)) return 'training_copy';
  return null;
}

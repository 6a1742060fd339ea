import { datasetFiltersSchema } from '@ttt/contracts';
import { cleanTweetText, dropReason } from '@ttt/text';
import type { TrainingIndex } from '../evaluate/memorization.js';

// The dataset builder's defaults: a machine tweet must pass what a human tweet had to pass to
// be trained on, or the game could be won by spotting links or fragments.
const FILTERS = datasetFiltersSchema.parse({});
const TWEET_LIMIT = 280;

/**
 * Why a generated text may not go into the pool (a dataset drop reason, `truncated`, `too_long`
 * or `training_copy`); null when it may.
 */
export function machineTweetRejection(text: string, training: TrainingIndex, finishReason: 'eos' | 'length' = 'eos'): string | null {
  // Cut off at max_new_tokens, a tweet stops mid-sentence, which no person's tweet does: the
  // game would give it away.
  if (finishReason === 'length') return 'truncated';
  const cleaned = cleanTweetText(text);
  const reason = dropReason(
    { id: 0n, platform: 'generated', platformId: '', text: cleaned, isReply: false, hasLink: false, isRetweet: false, isQuote: false },
    cleaned,
    FILTERS,
  );
  if (reason) return reason;
  if ([...cleaned].length > TWEET_LIMIT) return 'too_long';
  if (training.isCopy(cleaned)) return 'training_copy';
  return null;
}

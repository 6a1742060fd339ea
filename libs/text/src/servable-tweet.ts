import { datasetFiltersSchema } from '@ttt/contracts';
import { cleanTweetText } from './clean-tweet-text.js';
import { type DropReason, dropReason } from './tweet-rules.js';

// The dataset builder's defaults: whatever the game shows, human or machine, must pass what a
// tweet had to pass to be trained on, or links, fragments and replies would give one kind away.
const FILTERS = datasetFiltersSchema.parse({});
const TWEET_LIMIT = 280;

/**
 * A text as the game would show it (cleaned as the training data was) and why it may not be
 * shown: a dataset drop reason, `too_long` past 280 characters, or null when it may.
 */
export function servableTweet(raw: string): { text: string; rejection: DropReason | 'too_long' | null } {
  const text = cleanTweetText(raw);
  const row = { id: 0n, platform: '', platformId: '', text, isReply: false, hasLink: false, isRetweet: false, isQuote: false };
  const reason = dropReason(row, text, FILTERS);
  if (reason) return { text, rejection: reason };
  return { text, rejection: [...text].length > TWEET_LIMIT ? 'too_long' : null };
}

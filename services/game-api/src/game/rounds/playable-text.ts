import { datasetFiltersSchema } from '@ttt/contracts';
import { cleanTweetText, dropReason } from '@ttt/text';

// Both kinds of tweet must pass the dataset builder's rules and the 280-character limit (the
// pool applies the same to machine tweets), or links, replies and fragments would give the
// human ones away.
const FILTERS = datasetFiltersSchema.parse({});
const TWEET_LIMIT = 280;

/** A tweet's text as players see it (cleaned as the training data was), or null when it may not be shown. */
export function playableText(raw: string): string | null {
  const text = cleanTweetText(raw);
  const row = { id: 0n, platform: '', platformId: '', text, isReply: false, hasLink: false, isRetweet: false, isQuote: false };
  if (dropReason(row, text, FILTERS) || [...text].length > TWEET_LIMIT) return null;
  return text;
}

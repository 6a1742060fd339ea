import { servableTweet } from '@ttt/text';

/** A tweet's text as players see it (cleaned as the training data was), or null when it may not be shown. */
export function playableText(raw: string): string | null {
  const { text, rejection } = servableTweet(raw);
  return rejection ? null : text;
}

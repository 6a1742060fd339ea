import type { DatasetFilters } from '@ttt/contracts';
import { containsLink, containsMention, withoutLinksAndMentions } from './text-patterns.js';

export interface TweetRow {
  id: bigint;
  platform: string;
  platformId: string;
  text: string;
  isReply: boolean;
  hasLink: boolean;
  isRetweet: boolean;
  isQuote: boolean;
}

export const DropReason = {
  empty: 'empty',
  reply: 'reply',
  retweet: 'retweet',
  quote: 'quote',
  link: 'link',
  mentionOnly: 'mention_only',
  tooShort: 'too_short',
  exactDuplicate: 'exact_duplicate',
  nearDuplicate: 'near_duplicate',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/**
 * Why a cleaned tweet is not fit to train on, or null when it is. The stored flags are trusted,
 * and the text is checked too: older sources flagged replies and retweets only in the text.
 */
export function dropReason(row: TweetRow, cleaned: string, filters: DatasetFilters): DropReason | null {
  if (cleaned.length === 0) return DropReason.empty;
  if (filters.dropRetweets && (row.isRetweet || /^RT @\w/.test(cleaned))) return DropReason.retweet;
  if (filters.dropReplies && row.isReply) return DropReason.reply;
  if (filters.dropQuotes && row.isQuote) return DropReason.quote;
  if (filters.dropLinks && (row.hasLink || containsLink(cleaned))) return DropReason.link;
  const substance = withoutLinksAndMentions(cleaned).replace(/\s+/g, ' ').trim();
  if (filters.dropMentionOnly && containsMention(cleaned) && !/[\p{L}\p{N}]/u.test(substance)) return DropReason.mentionOnly;
  if (codePoints(substance, filters.minChars) < filters.minChars) return DropReason.tooShort;
  return null;
}

/** Code points in `text`, counting no further than `enough`. */
function codePoints(text: string, enough: number): number {
  if (text.length < enough) return text.length;
  let n = 0;
  for (const _ of text) if (++n >= enough) break;
  return n;
}

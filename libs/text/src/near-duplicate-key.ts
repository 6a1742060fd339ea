import { withoutLinksAndMentions } from './text-patterns.js';

/**
 * Two tweets with the same key say the same thing: compatibility forms unified, case folded,
 * links and mentions removed, and everything but letters and digits dropped (punctuation, emoji,
 * hashtag signs, spacing). "Great news!! https://t.co/x" and "great news" collide.
 */
export function nearDuplicateKey(text: string): string {
  return withoutLinksAndMentions(text.normalize('NFKC').toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

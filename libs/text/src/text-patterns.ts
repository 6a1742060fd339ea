/** A link as tweets carry them: full URLs, bare t.co / pic.twitter.com, www. hosts. */
const LINK = /\b(?:https?:\/\/|www\.|t\.co\/|pic\.twitter\.com\/)\S*/gi;
const MENTION = /(?<![\w@])@\w{1,15}/g;

// Non-global twins for testing: a global expression's test() moves its lastIndex.
const HAS_LINK = new RegExp(LINK.source, 'i');
const HAS_MENTION = new RegExp(MENTION.source);

export function containsLink(text: string): boolean {
  return HAS_LINK.test(text);
}

export function containsMention(text: string): boolean {
  return HAS_MENTION.test(text);
}

/** The text with its links and @mentions cut out. */
export function withoutLinksAndMentions(text: string): string {
  return text.replace(LINK, ' ').replace(MENTION, ' ');
}

/** A link as tweets carry them: full URLs, bare t.co / pic.twitter.com, www. hosts. */
const LINK = /\b(?:https?:\/\/|www\.|t\.co\/|pic\.twitter\.com\/)\S*/gi;
const MENTION = /(?<![\w@])@\w{1,15}/g;

export function containsLink(text: string): boolean {
  return new RegExp(LINK.source, 'i').test(text);
}

export function containsMention(text: string): boolean {
  return new RegExp(MENTION.source).test(text);
}

/** The text with its links and @mentions cut out. */
export function withoutLinksAndMentions(text: string): string {
  return text.replace(LINK, ' ').replace(MENTION, ' ');
}

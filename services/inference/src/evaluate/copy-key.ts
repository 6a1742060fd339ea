/**
 * Two tweets with the same key are the same tweet: compatibility forms unified, case folded,
 * runs of whitespace made one space, and trailing punctuation (an ellipsis, "!!", a closing
 * period) dropped, since a model that stops a copied tweet a character early has still copied
 * it. Punctuation inside the text stays: "let's eat, grandma" is not "let's eat grandma".
 */
export function copyKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s\p{P}]+$/u, '')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®', trade: '™',
};
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;
// Zero-width spaces and joiners' cousins, direction marks and overrides, word joiners, BOM, soft
// hyphen. ZWJ (U+200D) and variation selectors stay: they hold emoji sequences together.
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/g;
const OTHER_SPACES = /[^\S\n]/g;
// Anything any step below would change; most tweets have none of it and are returned as they are.
const NEEDS_CLEANING = /&|[\u00AD\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]|[^\S\n ]| {2}| \n|\n |\n{3}|^\s|\s$/;

function decodeEntity(whole: string, decimal?: string, hex?: string, name?: string): string {
  if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  const code = decimal ? Number(decimal) : Number.parseInt(hex!, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
  return String.fromCodePoint(code);
}

/**
 * The text a model should learn from: HTML entities decoded (X escapes &, < and >), invisible
 * characters removed, every kind of space made a plain space, runs collapsed, at most one blank
 * line kept, ends trimmed.
 */
export function cleanTweetText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text
    .replace(ENTITY, decodeEntity)
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(OTHER_SPACES, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

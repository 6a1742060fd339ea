import type { ParsedLine, TwintTweet } from './twint-record.js';

const STATUS_ID = /\/status(?:es)?\/(\d{1,20})(?:[/?#]|$)/;
// twint writes "id" first; its digits must be read from the text, since JSON.parse rounds
// any integer past 2^53 to the nearest double (1267196520354295808 → ...800).
const LEADING_ID = /^\s*\{\s*"id"\s*:\s*"?(\d{1,20})"?\s*[,}]/;
const URL_IN_TEXT = /\bhttps?:\/\/\S/i;

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

const count = (v: unknown): number => {
  const n = typeof v === 'string' ? Number(v.replace(/,/g, '')) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.min(Math.trunc(n), 2_147_483_647) : 0;
};

function exactId(record: Json, line: string): string | null {
  const fromLink = str(record.link)?.match(STATUS_ID)?.[1];
  if (fromLink) return fromLink;
  const asString = str(record.id_str) ?? (typeof record.id === 'string' ? record.id : null);
  if (asString && /^\d{1,20}$/.test(asString)) return asString;
  if (typeof record.id === 'number' && Number.isSafeInteger(record.id) && record.id > 0) return String(record.id);
  return line.match(LEADING_ID)?.[1] ?? null;
}

function tweetedAt(record: Json): Date | null {
  const created = record.created_at;
  if (typeof created === 'number' && Number.isFinite(created)) {
    // twint wrote milliseconds; some exports hold seconds.
    return new Date(created < 1e11 ? created * 1000 : created);
  }
  if (typeof created === 'string' && created.trim()) {
    // "2020-05-31 20:49:28 UTC" and ISO strings
    const iso = created.trim().replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?: ?(UTC|GMT|Z))?$/, '$1T$2Z');
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) return d;
    return null;
  }
  const date = str(record.date);
  const time = str(record.time) ?? '00:00:00';
  if (date && /^\d{4}-\d\d-\d\d$/.test(date) && /^\d\d:\d\d(:\d\d)?$/.test(time)) {
    const zone = str(record.timezone);
    const offset = zone && /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
    return new Date(`${date}T${time}${offset}`);
  }
  return null;
}

function isReplyToOthers(record: Json, author: string): boolean {
  // twint lists the author in reply_to even for a tweet that starts a thread; a reply names
  // somebody else. The original game kept tweets whose reply_to held only the author.
  const to = record.reply_to;
  if (Array.isArray(to)) {
    return to.some((u) => {
      const name = str((u as Json | null)?.username);
      return name !== null && name.toLowerCase() !== author.toLowerCase();
    });
  }
  return false;
}

export function parseTwintLine(line: string): ParsedLine {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: (error as Error).message };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { ok: false, reason: 'not_an_object', detail: `a JSON ${Array.isArray(record) ? 'array' : typeof record}` };
  }
  const r = record as Json;
  const platformId = exactId(r, line);
  if (!platformId) return { ok: false, reason: 'missing_id', detail: 'no link, id_str or exact id' };
  const author = str(r.username)?.replace(/^@/, '');
  if (!author) return { ok: false, reason: 'missing_author', detail: 'no username' };
  const text = typeof r.tweet === 'string' ? r.tweet : null;
  if (!text || !text.trim()) return { ok: false, reason: 'missing_text', detail: 'no tweet text' };
  const at = tweetedAt(r);
  if (!at || Number.isNaN(at.getTime()) || at.getFullYear() < 2006 || at.getTime() > Date.now() + 86_400_000) {
    return { ok: false, reason: 'bad_date', detail: `created_at ${JSON.stringify(r.created_at ?? r.date ?? null)}` };
  }
  const urls = Array.isArray(r.urls) ? r.urls : [];
  // Postgres text and jsonb cannot hold NUL; nothing a reader sees is lost by dropping it.
  const clean = line.includes('\\u0000') ? line.replace(/\\u0000/g, '') : line;
  const tweet: TwintTweet = {
    platformId,
    authorHandle: author,
    authorName: str(r.name),
    text: text.replace(/\0/g, ''),
    tweetedAt: at,
    likeCount: count(r.likes_count),
    retweetCount: count(r.retweets_count),
    replyCount: count(r.replies_count),
    isReply: isReplyToOthers(r, author),
    hasLink: urls.length > 0 || URL_IN_TEXT.test(text),
    isRetweet: r.retweet === true || r.retweet === 'True' || str(r.user_rt_id) !== null || str(r.retweet_id) !== null,
    isQuote: str(r.quote_url) !== null,
    url: str(r.link),
    raw: clean,
  };
  return { ok: true, tweet };
}

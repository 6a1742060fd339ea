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

type IdResult = { id: string } | { inexact: string } | null;

function exactId(record: Json, line: string): IdResult {
  const fromLink = str(record.link)?.match(STATUS_ID)?.[1];
  if (fromLink) return { id: fromLink };
  const asString = str(record.id_str) ?? (typeof record.id === 'string' ? record.id : null);
  if (asString && /^\d{1,20}$/.test(asString)) return { id: asString };
  if (typeof record.id !== 'number' || !Number.isInteger(record.id) || record.id <= 0) return null;
  if (Number.isSafeInteger(record.id)) return { id: String(record.id) };
  // Past 2^53, JSON.parse rounds; the digits are read from the line instead. But they may
  // themselves be a double printed by the writer (twint's was: the reference files hold
  // "id":1267196520354295800 for ...808), and two tweets could then share them. Digits that
  // are exactly how a double prints are refused; any others were written exactly.
  const digits = line.match(LEADING_ID)?.[1];
  if (!digits || String(Number(digits)) === digits) return { inexact: digits ?? record.id.toFixed(0) };
  return { id: digits };
}

const ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** A calendar date that exists: 2020-02-31 is refused, not turned into March 2nd. */
function validDate(date: string): boolean {
  const m = ISO_DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function tweetedAt(record: Json): Date | null {
  const created = record.created_at;
  if (typeof created === 'number' && Number.isFinite(created)) {
    // twint wrote milliseconds; some exports hold seconds.
    return new Date(created < 1e11 ? created * 1000 : created);
  }
  if (typeof created === 'string') {
    // "2020-05-31 20:49:28 UTC", or ISO with a zone. A string without a zone, or with a zone
    // name JavaScript does not know (twint wrote the local one: "CEST"), falls through to
    // date + time + timezone below.
    const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?) ?(UTC|GMT|Z|[+-]\d\d:?\d\d)$/.exec(created.trim());
    if (m && validDate(m[1])) {
      const zone = m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : m[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
      const d = new Date(`${m[1]}T${m[2]}${zone}`);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  const date = str(record.date);
  const time = str(record.time) ?? '00:00:00';
  if (date && validDate(date) && /^\d\d:\d\d(:\d\d)?$/.test(time)) {
    const zone = str(record.timezone);
    const offset = zone && /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
    const d = new Date(`${date}T${time}${offset}`);
    return Number.isNaN(d.getTime()) ? null : d;
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
  const id = exactId(r, line);
  if (!id) return { ok: false, reason: 'missing_id', detail: 'no link, id_str or id' };
  if ('inexact' in id) {
    return { ok: false, reason: 'inexact_id', detail: `id ${id.inexact} is past 2^53 and there is no link or string id to confirm it` };
  }
  const author = str(r.username)?.replace(/^@/, '');
  if (!author) return { ok: false, reason: 'missing_author', detail: 'no username' };
  const text = typeof r.tweet === 'string' ? r.tweet : null;
  if (!text || !text.trim()) return { ok: false, reason: 'missing_text', detail: 'no tweet text' };
  const at = tweetedAt(r);
  if (!at || at.getUTCFullYear() < 2006 || at.getTime() > Date.now() + 86_400_000) {
    return { ok: false, reason: 'bad_date', detail: `created_at ${JSON.stringify(r.created_at ?? null)}, date ${JSON.stringify(r.date ?? null)}` };
  }
  const urls = Array.isArray(r.urls) ? r.urls : [];
  const tweet: TwintTweet = {
    platformId: id.id,
    authorHandle: author,
    authorName: str(r.name),
    text,
    tweetedAt: at,
    likeCount: count(r.likes_count),
    retweetCount: count(r.retweets_count),
    replyCount: count(r.replies_count),
    isReply: isReplyToOthers(r, author),
    hasLink: urls.length > 0 || URL_IN_TEXT.test(text),
    isRetweet: r.retweet === true || r.retweet === 'True' || str(r.user_rt_id) !== null || str(r.retweet_id) !== null,
    isQuote: str(r.quote_url) !== null,
    url: str(r.link),
    raw: line,
  };
  return { ok: true, tweet };
}

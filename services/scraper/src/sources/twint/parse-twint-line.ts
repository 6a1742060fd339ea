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

// Zones as twint wrote them: the abbreviation of the scraping machine's local zone. Only
// abbreviations with one meaning; CST, IST or BST name several zones and are refused.
const ZONE_OFFSETS: Record<string, string> = {
  UTC: 'Z', GMT: 'Z', Z: 'Z',
  EST: '-05:00', EDT: '-04:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00',
  PST: '-08:00', PDT: '-07:00', AKST: '-09:00', AKDT: '-08:00', HST: '-10:00',
  CET: '+01:00', CEST: '+02:00', EET: '+02:00', EEST: '+03:00', JST: '+09:00', AEST: '+10:00', AEDT: '+11:00',
};

/** An offset for a zone written as +HHMM, +HH:MM or a known abbreviation; null otherwise. */
function zoneOffset(zone: string): string | null {
  const numeric = /^([+-]\d\d):?(\d\d)$/.exec(zone);
  if (numeric) return `${numeric[1]}:${numeric[2]}`;
  return ZONE_OFFSETS[zone.toUpperCase()] ?? null;
}

function tweetedAt(record: Json): Date | null {
  const created = record.created_at;
  if (typeof created === 'number' && Number.isFinite(created)) {
    // twint wrote milliseconds; some exports hold seconds.
    return new Date(created < 1e11 ? created * 1000 : created);
  }
  if (typeof created === 'string') {
    // "2020-05-31 20:49:28 UTC", "… PDT", or ISO with an offset. A string without a zone, or
    // with one not in the table, falls through to date + time + timezone below.
    const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?) ?([A-Za-z]{1,5}|[+-]\d\d:?\d\d)$/.exec(created.trim());
    const offset = m ? zoneOffset(m[3]) : null;
    if (m && offset && validDate(m[1])) {
      const d = new Date(`${m[1]}T${m[2]}${offset}`);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  const date = str(record.date);
  const time = str(record.time) ?? '00:00:00';
  if (date && validDate(date) && /^\d\d:\d\d(:\d\d)?$/.test(time)) {
    // A zone that cannot be read makes the time unknown: refused rather than guessed as UTC.
    const zone = str(record.timezone);
    const offset = zone === null ? 'Z' : zoneOffset(zone);
    if (!offset) return null;
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

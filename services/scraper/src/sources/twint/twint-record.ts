import type { ScrapedTweet } from '../scraped-tweet.js';

/**
 * A tweet as the import stores it, read from one twint JSON line: a scraped X tweet whose raw
 * record is the line as written (re-serialising parsed JSON would round the ids).
 */
export interface TwintTweet extends Omit<ScrapedTweet, 'platform' | 'raw'> {
  raw: string;
}

export type RejectReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_id'
  | 'inexact_id'
  | 'missing_author'
  | 'missing_text'
  | 'bad_date'
  | 'line_too_long'
  /** The database refused the row itself (a character it cannot store, a constraint). */
  | 'db_rejected';

export type ParsedLine = { ok: true; tweet: TwintTweet } | { ok: false; reason: RejectReason; detail: string };

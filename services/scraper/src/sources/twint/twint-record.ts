/** A tweet as the import stores it, read from one twint JSON line. */
export interface TwintTweet {
  platformId: string;
  authorHandle: string;
  authorName: string | null;
  text: string;
  tweetedAt: Date;
  likeCount: number;
  retweetCount: number;
  replyCount: number;
  isReply: boolean;
  hasLink: boolean;
  isRetweet: boolean;
  isQuote: boolean;
  url: string | null;
  /** The line as written, stored verbatim: re-serialising parsed JSON would round the ids. */
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

/** A tweet as a source hands it over, before it is stored (raw record kept whole). */
export interface ScrapedTweet {
  platform: 'x' | 'bluesky';
  /** The platform's id as an exact string (X ids pass 2^53; Bluesky's is the post's at:// URI). */
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
  raw: unknown;
}

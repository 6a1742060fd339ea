/** A tweet ready to be dealt: its text and where it came from, kept on the server only. */
export type TweetCandidate =
  | { truth: 'human'; text: string; tweetId: string }
  | { truth: 'machine'; text: string; generatedTweetId: string; modelVersionId: number };

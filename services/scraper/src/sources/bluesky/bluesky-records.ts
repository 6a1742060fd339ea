/** The parts of Bluesky's lexicon objects the scraper reads; everything else stays in `raw`. */

export interface BlueskyProfile {
  did: string;
  handle: string;
  displayName?: string;
}

export interface BlueskyFacet {
  features?: Array<{ $type?: string; uri?: string }>;
}

export interface BlueskyEmbed {
  $type?: string;
  /** app.bsky.embed.record: the embedded record's strong ref (or view). */
  record?: { uri?: string; record?: { uri?: string } };
  /** app.bsky.embed.recordWithMedia: the media half. */
  media?: { $type?: string };
}

export interface BlueskyPostView {
  uri: string;
  author: BlueskyProfile;
  record: {
    text?: string;
    createdAt?: string;
    reply?: unknown;
    facets?: BlueskyFacet[];
    embed?: BlueskyEmbed;
  };
  embed?: BlueskyEmbed;
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  indexedAt?: string;
}

export interface BlueskyFeedViewPost {
  post: BlueskyPostView;
  reason?: { $type?: string };
}

export interface BlueskyAuthorFeed {
  feed: BlueskyFeedViewPost[];
  cursor?: string;
}

/** XRPC's error body: {error: "InvalidRequest", message: "Profile not found"}. */
export interface XrpcError {
  error?: string;
  message?: string;
}

export { cleanTweetText } from './clean-tweet-text.js';
export { nearDuplicateKey } from './near-duplicate-key.js';
export { containsLink, containsMention, withoutLinksAndMentions } from './text-patterns.js';
export { DropReason, dropReason, type TweetRow } from './tweet-rules.js';
export { servableTweet } from './servable-tweet.js';

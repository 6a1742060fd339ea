/** Events between services (Redis transport). Hints only: the database is the truth. */
export const EventName = {
  tweetsImported: 'tweets.imported',
  tweetsScraped: 'tweets.scraped',
  datasetBuilt: 'dataset.built',
  modelPublished: 'model.published',
  modelActivated: 'model.activated',
} as const;

export type EventName = (typeof EventName)[keyof typeof EventName];

/** Every BullMQ queue in the system, declared once. */
export const QueueName = {
  scrape: 'scrape',
  scrapeAccount: 'scrape-account',
  import: 'import',
  buildDataset: 'build-dataset',
  train: 'train',
  generate: 'generate',
  evaluate: 'evaluate',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Every BullMQ queue in the system, declared once. */
export const QueueName = {
  scrape: 'scrape',
  scrapeAccount: 'scrape-account',
  import: 'import',
  buildDataset: 'build-dataset',
  train: 'train',
  generate: 'generate',
  evaluate: 'evaluate',
  /** Player-facing generation requests from inference gateways to inference workers. */
  inference: 'inference',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

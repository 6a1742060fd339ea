import type { ContinuousBatcher } from '../engine/continuous-batcher.js';
import type { CatalogRow } from './model-catalog.repository.js';

/** A model version in memory, ready to generate. */
export interface LoadedModel {
  row: CatalogRow;
  /** `gpt2-twitter-<category>@<version>` */
  name: string;
  batcher: ContinuousBatcher;
  lastUsed: number;
}

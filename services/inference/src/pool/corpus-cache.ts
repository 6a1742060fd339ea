import { join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import type { PoolRepository } from './pool.repository.js';
import { loadTrainingCorpus, type TrainingCorpus } from './training-corpus.js';

/** Training corpora by model version, loaded once: a version's datasets never change. */
export class CorpusCache {
  private readonly corpora = new Map<number, Promise<TrainingCorpus>>();

  constructor(
    private readonly repo: PoolRepository,
    private readonly store: ArtifactStore,
    private readonly cacheDir: string,
  ) {}

  get(modelVersionId: number, datasetIds: number[]): Promise<TrainingCorpus> {
    let corpus = this.corpora.get(modelVersionId);
    if (!corpus) {
      corpus = loadTrainingCorpus(this.repo, this.store, datasetIds, join(this.cacheDir, 'datasets'));
      this.corpora.set(modelVersionId, corpus);
      corpus.catch(() => this.corpora.delete(modelVersionId));
      // A handful of versions serve at once; older corpora are dropped.
      if (this.corpora.size > 8) this.corpora.delete(this.corpora.keys().next().value!);
    }
    return corpus;
  }
}

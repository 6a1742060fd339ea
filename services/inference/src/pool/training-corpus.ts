import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import { cleanTweetText } from '@ttt/text';
import { TrainingIndex } from '../evaluate/memorization.js';
import type { PoolRepository } from './pool.repository.js';

export interface TrainingCorpus {
  /** The training split's tweets, for refusing copies. */
  index: TrainingIndex;
  trainCount: number;
  /** The validation split's tweets, as cleaned for training: the human side of an evaluation. */
  heldOut: string[];
}

/**
 * What a model version learned from: the tweets its datasets' split files name, read from
 * Postgres and cleaned the way the dataset builder cleaned them.
 */
export async function loadTrainingCorpus(repo: PoolRepository, store: ArtifactStore, datasetIds: number[], cacheDir: string): Promise<TrainingCorpus> {
  const train: bigint[] = [];
  const val: bigint[] = [];
  for (const dataset of await repo.datasetArtifacts(datasetIds)) {
    if (!dataset.artifactUri) throw new Error(`dataset ${dataset.id} has no artifact to read its splits from`);
    const dir = await store.fetchFolder(dataset.artifactUri, join(cacheDir, `dataset-${dataset.id}`));
    for (const line of (await readFile(join(dir, 'splits.tsv'), 'utf8')).split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      (line.slice(tab + 1) === 'val' ? val : train).push(BigInt(line.slice(0, tab)));
    }
  }
  const trainTexts = (await repo.texts(train)).map(cleanTweetText);
  return { index: new TrainingIndex(trainTexts), trainCount: trainTexts.length, heldOut: (await repo.texts(val)).map(cleanTweetText) };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import type { DatasetFilters } from '@ttt/contracts';
import { END_OF_TEXT_ID, GPT2_VOCAB_SIZE, type TokenizerPool } from '@ttt/tokenizer';
import { DatasetTooSmallError, EmptyDatasetError, UnknownCategoryError } from './build-dataset-errors.js';
import type { DatasetRepository } from './dataset.repository.js';
import { type PipelineCounts, TweetPipeline } from './tweet-pipeline.js';

export interface BuildDatasetOptions {
  category: string;
  filters: DatasetFilters;
  valFraction: number;
  seed: number;
  /** Fewer training tokens than this fails the build: a model would only memorise them. */
  minTrainTokens: number;
  minValTokens: number;
  onProgress?: (progress: { read: number; total: number; kept: number }) => void;
}

export interface BuiltDataset {
  datasetId: number;
  category: string;
  artifactUri: string;
  manifest: DatasetManifest;
}

export interface DatasetManifest extends PipelineCounts {
  datasetId: number;
  category: string;
  createdAt: string;
  filters: DatasetFilters;
  valFraction: number;
  seed: number;
  tokenizer: { name: 'gpt2'; vocabSize: number; endOfText: number };
  format: 'uint16le';
}

/**
 * Builds a dataset from a category's stored tweets into the artifact store: token files, the
 * tweet → split list and a manifest, then the Dataset row. A failure leaves the row `failed`
 * with the reason and the counts so far, and nothing half-written in the store.
 */
export async function buildDataset(
  repo: DatasetRepository,
  store: ArtifactStore,
  tokenizer: TokenizerPool,
  options: BuildDatasetOptions,
): Promise<BuiltDataset> {
  const categoryId = await repo.categoryId(options.category);
  if (categoryId === null) throw new UnknownCategoryError(options.category);
  const total = await repo.countTweets(categoryId);
  if (total === 0) {
    throw new EmptyDatasetError(`Category "${options.category}" has no tweets: import or scrape some first`);
  }
  const datasetId = await repo.createDataset(categoryId, options.filters, options.valFraction, options.seed);
  const staging = await mkdtemp(join(tmpdir(), `ttt-dataset-${datasetId}-`));
  let manifest: DatasetManifest | undefined;
  let pipeline: TweetPipeline | undefined;
  try {
    pipeline = await TweetPipeline.open(staging, tokenizer, options);
    for await (const page of repo.tweets(categoryId)) {
      await pipeline.add(page);
      options.onProgress?.({ total, ...pipeline.counts });
    }
    await writeFile(join(staging, 'splits.tsv'), pipeline.splitsTsv());
    const counts = await pipeline.close();
    pipeline = undefined;
    manifest = {
      datasetId,
      category: options.category,
      createdAt: new Date().toISOString(),
      filters: options.filters,
      valFraction: options.valFraction,
      seed: options.seed,
      tokenizer: { name: 'gpt2', vocabSize: GPT2_VOCAB_SIZE, endOfText: END_OF_TEXT_ID },
      format: 'uint16le',
      ...counts,
    };
    checkSize(options, counts);
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const artifactUri = await store.putFolder(staging, `datasets/${options.category}/${datasetId}`);
    await repo.markReady(datasetId, {
      tweetCount: counts.kept,
      trainTokens: counts.splits.train.tokens,
      valTokens: counts.splits.val.tokens,
      manifest,
      artifactUri,
    });
    return { datasetId, category: options.category, artifactUri, manifest };
  } catch (error) {
    await pipeline?.abort();
    // The build's own error is the one to report, even if recording it fails too.
    await repo.markFailed(datasetId, (error as Error).message, manifest).catch(() => {});
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function checkSize(options: BuildDatasetOptions, counts: PipelineCounts): void {
  if (counts.kept === 0) {
    const reasons = Object.entries(counts.dropped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    throw new EmptyDatasetError(`No tweet of "${options.category}" passed the filters (${counts.read} read; dropped: ${reasons})`);
  }
  const { train, val } = counts.splits;
  if (train.tokens < options.minTrainTokens || val.tokens < options.minValTokens) {
    throw new DatasetTooSmallError(
      `Dataset for "${options.category}" is too small to train on: ${train.tokens.toLocaleString('en-US')} training and ` +
        `${val.tokens.toLocaleString('en-US')} validation tokens from ${counts.kept.toLocaleString('en-US')} tweets; ` +
        `it needs at least ${options.minTrainTokens.toLocaleString('en-US')} training and ` +
        `${options.minValTokens.toLocaleString('en-US')} validation tokens. Add tweets or loosen the filters.`,
    );
  }
}

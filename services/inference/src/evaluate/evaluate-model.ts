import type { Gpt2Tokenizer } from '@ttt/tokenizer';
import type { SamplingParams } from '../engine/sampling-params.js';
import type { LoadedModel } from '../models/loaded-model.js';
import { generateMachineTweets } from '../pool/generate-machine-tweets.js';
import type { TrainingCorpus } from '../pool/training-corpus.js';
import { detectorAccuracy } from './char-ngram-detector.js';
import { distinctN } from './distinct-n.js';
import { memorizationRate } from './memorization.js';

export interface Evaluation {
  samples: number;
  /** Share of distinct word unigrams / bigrams across the samples (diversity; people's tweets sit near the top). */
  distinct1: number;
  distinct2: number;
  /** The same figures for as many held-out human tweets, to read the model's against. */
  humanDistinct1: number;
  humanDistinct2: number;
  /** Share of samples that copy a training tweet or repeat 8 words of one in a row. */
  memorizationRate: number;
  copies: number;
  longSpans: number;
  /** Held-out accuracy of a character n-gram logistic regression, human against machine: 0.5 is best for the game. */
  detectorAccuracy: number;
  detectorTrainSize: number;
  detectorTestSize: number;
  sampling: Record<string, unknown>;
  evaluatedAt: string;
}

/**
 * Samples the model as the pool does (unfiltered: the filters would hide what it memorised)
 * and sets the samples against held-out human tweets of its datasets.
 */
export async function evaluateModel(
  model: LoadedModel,
  tokenizer: Gpt2Tokenizer,
  corpus: TrainingCorpus,
  sampling: (seed: number) => SamplingParams,
  samples: number,
  onProgress?: (fraction: number) => void,
): Promise<Evaluation> {
  const batch = await generateMachineTweets(model, tokenizer, corpus.index, sampling, {
    count: samples,
    maxAttempts: samples,
    filter: false,
    onProgress: (n) => onProgress?.(0.9 * (n / samples)),
  });
  const machine = batch.accepted.map((t) => t.text).filter((t) => t.length > 0);
  const human = corpus.heldOut.slice(0, Math.max(samples, machine.length));
  const memorized = memorizationRate(machine, corpus.index);
  const detector = detectorAccuracy(human, machine, { seed: model.row.id });
  onProgress?.(1);
  const { seed: _seed, ...settings } = batch.accepted[0]?.sampling ?? {};
  return {
    samples: machine.length,
    distinct1: distinctN(machine, 1),
    distinct2: distinctN(machine, 2),
    humanDistinct1: distinctN(human.slice(0, machine.length), 1),
    humanDistinct2: distinctN(human.slice(0, machine.length), 2),
    memorizationRate: memorized.rate,
    copies: memorized.copies,
    longSpans: memorized.overlaps,
    detectorAccuracy: detector.accuracy,
    detectorTrainSize: detector.trainSize,
    detectorTestSize: detector.testSize,
    sampling: settings,
    evaluatedAt: new Date().toISOString(),
  };
}

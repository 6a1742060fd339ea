import { CHAR_NGRAM_FEATURE_BITS, charNgramFeatures, type SparseVector } from './char-ngram-features.js';
import { seededRandom } from './seeded-random.js';

export interface DetectorOptions {
  /** Orders the split and the training passes; the same seed gives the same accuracy. */
  seed?: number;
  epochs?: number;
}

export interface DetectorResult {
  /** Share of held-out texts put in the right class: 0.5 is a coin toss, the game's ideal. */
  accuracy: number;
  trainSize: number;
  testSize: number;
}

const LEARNING_RATE = 0.3;
const L2 = 1e-5;
const DEFAULT_EPOCHS = 5;

/**
 * How well a simple detector tells a model's tweets from people's: logistic regression on
 * character n-grams, trained on half of each class and scored on the other half. A strong
 * detector would find something in any model's output; a simple one asks whether a player
 * could, from spelling, punctuation and wording alone.
 *
 * The classes are cut to the same size first, so that guessing the larger class cannot score.
 */
export function detectorAccuracy(human: readonly string[], machine: readonly string[], options: DetectorOptions = {}): DetectorResult {
  const epochs = options.epochs ?? DEFAULT_EPOCHS;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a whole number ≥ 1, not ${epochs}`);
  const perClass = Math.min(human.length, machine.length);
  if (perClass < 2) {
    throw new RangeError(`A detector needs at least 2 texts of each class to train and test; it has ${human.length} human and ${machine.length} machine`);
  }
  const random = seededRandom(options.seed ?? 0);
  const humans = shuffle([...human], random).slice(0, perClass);
  const machines = shuffle([...machine], random).slice(0, perClass);
  const half = Math.floor(perClass / 2);
  const examples = (texts: string[], label: 0 | 1): Example[] => texts.map((text) => ({ x: charNgramFeatures(text), y: label }));
  const train = [...examples(humans.slice(0, half), 0), ...examples(machines.slice(0, half), 1)];
  const test = [...examples(humans.slice(half), 0), ...examples(machines.slice(half), 1)];

  const model = trainLogistic(train, epochs, random);
  let correct = 0;
  for (const { x, y } of test) if ((model.score(x) > 0 ? 1 : 0) === y) correct++;
  return { accuracy: correct / test.length, trainSize: train.length, testSize: test.length };
}

interface Example {
  x: SparseVector;
  y: 0 | 1;
}

/**
 * Logistic regression by Adagrad: each feature's steps shrink with its own gradient history, so
 * rare n-grams still learn from few examples while common ones settle. L2 applies to the
 * features of the example at hand only, keeping each step as cheap as the example is sparse.
 */
function trainLogistic(examples: Example[], epochs: number, random: () => number): { score: (x: SparseVector) => number } {
  const weights = new Float64Array(1 << CHAR_NGRAM_FEATURE_BITS);
  const squaredGradients = new Float64Array(1 << CHAR_NGRAM_FEATURE_BITS);
  let bias = 0;
  let biasSquaredGradient = 0;
  const score = ({ indices, values }: SparseVector): number => {
    let z = bias;
    for (let k = 0; k < indices.length; k++) z += weights[indices[k]!]! * values[k]!;
    return z;
  };

  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { x, y } = examples[i]!;
      const error = 1 / (1 + Math.exp(-score(x))) - y;
      if (error === 0) continue;
      for (let k = 0; k < x.indices.length; k++) {
        const j = x.indices[k]!;
        const gradient = error * x.values[k]! + L2 * weights[j]!;
        squaredGradients[j]! += gradient * gradient;
        if (squaredGradients[j]! > 0) weights[j]! -= (LEARNING_RATE * gradient) / Math.sqrt(squaredGradients[j]!);
      }
      biasSquaredGradient += error * error;
      bias -= (LEARNING_RATE * error) / Math.sqrt(biasSquaredGradient);
    }
  }
  return { score };
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

import { copyKey } from './copy-key.js';
import { hashWords } from './word-hash.js';

const WORD_EDGE_PUNCTUATION = /(?<=^|\s)\p{P}+|\p{P}+(?=\s|$)/gu;

export interface MemorizationResult {
  /** Generated texts that are a training tweet, under copyKey. */
  copies: number;
  /** Generated texts that are not copies but repeat a long run of words from a training tweet. */
  overlaps: number;
  /** (copies + overlaps) / generated texts; 0 with none. */
  rate: number;
}

/**
 * What a model version's samples owe to its training tweets, read from hashes alone: copy keys
 * and every run of `spanWords` words (8 by default). Hashes rather than strings keep ~50k
 * tweets' worth (about a million runs) to some 40 MB.
 */
export class TrainingIndex {
  readonly spanWords: number;
  private readonly copyKeys = new Set<number>();
  private readonly spans = new Set<number>();

  constructor(texts: Iterable<string>, options: { spanWords?: number } = {}) {
    this.spanWords = options.spanWords ?? 8;
    if (!Number.isInteger(this.spanWords) || this.spanWords < 1) {
      throw new RangeError(`spanWords must be a whole number ≥ 1, not ${this.spanWords}`);
    }
    for (const text of texts) {
      const key = copyKey(text);
      // A tweet of only punctuation has an empty key; an empty sample "copying" it means nothing.
      if (key !== '') this.copyKeys.add(hashWords([key]));
      const words = spanWordsOf(text);
      for (let i = 0; i + this.spanWords <= words.length; i++) this.spans.add(hashWords(words, i, i + this.spanWords));
    }
  }

  isCopy(text: string): boolean {
    const key = copyKey(text);
    return key !== '' && this.copyKeys.has(hashWords([key]));
  }

  /**
   * Whether `text` holds a run of at least `words` consecutive words found in a training tweet.
   * Only runs of `spanWords` are indexed, so a longer run is one of overlapping indexed runs back
   * to back; they may come from different tweets, which errs towards calling it memorised.
   */
  sharesLongSpan(text: string, words = this.spanWords): boolean {
    if (!Number.isInteger(words) || words < this.spanWords) {
      throw new RangeError(`This index holds runs of ${this.spanWords} words; it cannot find runs of ${words}`);
    }
    const needed = words - this.spanWords + 1;
    const tokens = spanWordsOf(text);
    let run = 0;
    for (let i = 0; i + this.spanWords <= tokens.length; i++) {
      run = this.spans.has(hashWords(tokens, i, i + this.spanWords)) ? run + 1 : 0;
      if (run >= needed) return true;
    }
    return false;
  }
}

/** The share of generated texts that copy a training tweet or repeat a long run of one. */
export function memorizationRate(generated: readonly string[], training: TrainingIndex): MemorizationResult {
  let copies = 0;
  let overlaps = 0;
  for (const text of generated) {
    if (training.isCopy(text)) copies++;
    else if (training.sharesLongSpan(text)) overlaps++;
  }
  return { copies, overlaps, rate: generated.length === 0 ? 0 : (copies + overlaps) / generated.length };
}

/**
 * Words for matching runs: folded like copy keys, with punctuation at either end of a word
 * dropped, so "great news, everyone" repeats "Great news everyone!" word for word. Inner
 * punctuation stays ("don't" is one word), and words of only punctuation ("—", "&") go.
 * One regular expression over the whole text, not one per word, which took twice as long.
 */
function spanWordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(WORD_EDGE_PUNCTUATION, '')
    .split(/\s+/)
    .filter((word) => word !== '');
}

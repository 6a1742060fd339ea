import { byteToUnicode } from './byte-unicode.js';
import { gpt2Files } from './gpt2-files.js';
import { preTokenize } from './pre-tokenize.js';

export const END_OF_TEXT = '<|endoftext|>';
export const END_OF_TEXT_ID = 50256;
export const GPT2_VOCAB_SIZE = 50257;

const CACHE_LIMIT = 200_000;
const PAIR = 0x10000;

/**
 * GPT-2 byte-level BPE, id for id with OpenAI's encoder. Words repeat a lot in tweets, so each
 * pre-token's ids are cached by its text; the cache is bounded so a long run cannot grow it
 * without end.
 */
export class Gpt2Tokenizer {
  /** (left id, right id) → rank × 2^16 + merged id: integer keys keep the merge loop fast. */
  private readonly merges = new Map<number, number>();
  private readonly byteIds: number[];
  private readonly vocab: Map<string, number>;
  private readonly spellings: string[];
  private readonly byteChars = byteToUnicode();
  private readonly charBytes = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();
  private readonly utf8Decoder = new TextDecoder('utf-8', { fatal: false });

  constructor() {
    const files = gpt2Files();
    this.vocab = new Map(Object.entries(files.vocab));
    this.spellings = [];
    for (const [spelling, id] of this.vocab) this.spellings[id] = spelling;
    this.byteChars.forEach((ch, byte) => this.charBytes.set(ch, byte));
    this.byteIds = this.byteChars.map((ch) => this.idOf(ch));
    files.merges.forEach((merge, rank) => {
      const [left, right] = merge.split(' ') as [string, string];
      this.merges.set(this.idOf(left) * PAIR + this.idOf(right), rank * 0x10000 + this.idOf(left + right));
    });
  }

  get vocabSize(): number {
    return this.spellings.length;
  }

  /** Token ids of `text`; `<|endoftext|>` in the text is plain text here, never the special id. */
  encode(text: string): number[] {
    const ids: number[] = [];
    preTokenize(text, (start, end) => {
      const piece = text.slice(start, end);
      let pieceIds = this.cache.get(piece);
      if (!pieceIds) {
        pieceIds = this.bpe(piece);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, pieceIds);
      }
      for (const id of pieceIds) ids.push(id);
    });
    return ids;
  }

  decode(ids: Iterable<number>): string {
    const bytes: number[] = [];
    for (const id of ids) {
      const spelling = this.spellings[id];
      if (spelling === undefined) throw new RangeError(`token id ${id} is not in the GPT-2 vocabulary`);
      if (id === END_OF_TEXT_ID) {
        for (const b of this.utf8.encode(END_OF_TEXT)) bytes.push(b);
        continue;
      }
      for (const ch of spelling) bytes.push(this.charBytes.get(ch)!);
    }
    return this.utf8Decoder.decode(new Uint8Array(bytes));
  }

  private idOf(spelling: string): number {
    const id = this.vocab.get(spelling);
    if (id === undefined) throw new Error(`"${spelling}" is not in the GPT-2 vocabulary`);
    return id;
  }

  private bpe(piece: string): number[] {
    let word: number[] = [];
    for (const b of this.utf8.encode(piece)) word.push(this.byteIds[b]!);
    while (word.length > 1) {
      let best = -1;
      let bestMerge = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const merge = this.merges.get(word[i]! * PAIR + word[i + 1]!);
        if (merge !== undefined && merge < bestMerge) {
          bestMerge = merge;
          best = i;
        }
      }
      if (best < 0) break;
      const first = word[best]!;
      const second = word[best + 1]!;
      const mergedId = bestMerge & 0xffff;
      // Merge every occurrence of the winning pair in one pass, as the reference encoder does.
      const merged: number[] = [];
      for (let i = 0; i < word.length; ) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(mergedId);
          i += 2;
        } else {
          merged.push(word[i]!);
          i += 1;
        }
      }
      word = merged;
    }
    return word;
  }
}

import { describe, expect, it } from 'vitest';
import { preTokenize } from './pre-tokenize.js';

// The pattern OpenAI's encoder splits with; the scanner must cut exactly where it does.
const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const ALPHABET = [' ', ' ', ' ', '\n', '\t', '\u00a0', '\u3000', "'", "'", 's', 't', 'r', 'e', 'v', 'l', 'd', 'm', 'A', 'é', '東', '٣', '7', '!', '.', '#', '@', '😀', '👩‍💻', '\u200d', '\ufe0f', 'x'];

function pieces(text: string): string[] {
  const out: string[] = [];
  preTokenize(text, (start, end) => out.push(text.slice(start, end)));
  return out;
}

describe('preTokenize', () => {
  it('cuts like GPT-2’s regular expression on 20,000 random strings of tricky characters', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const length = Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
      expect(pieces(text), JSON.stringify(text)).toEqual([...text.matchAll(GPT2_PATTERN)].map((m) => m[0]));
    }
  });

  it('keeps contractions, leading spaces and trailing whitespace as GPT-2 does', () => {
    expect(pieces("we're  done\n\n it's 2020!! ")).toEqual(['we', "'re", ' ', ' done', '\n\n', ' it', "'s", ' 2020', '!!', ' ']);
  });
});

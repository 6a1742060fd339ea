import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { referenceTweets } from '../test/reference-tweets.js';
import { END_OF_TEXT_ID, Gpt2Tokenizer } from './gpt2-tokenizer.js';

const reference = createRequire(import.meta.url)('gpt-3-encoder') as { encode(text: string): number[] };

describe('Gpt2Tokenizer', () => {
  const tokenizer = new Gpt2Tokenizer();

  it('matches OpenAI’s encoder id for id on real tweets of every category', async () => {
    for (const category of ['vc', 'republicans', 'democrats', 'covid19']) {
      const tweets = await referenceTweets(category, 1500);
      expect(tweets.length).toBe(1500);
      for (const text of tweets) expect(tokenizer.encode(text), text).toEqual(reference.encode(text));
    }
  });

  it('matches on emoji, CJK, accents, URLs, contractions and odd whitespace, and round-trips them', () => {
    const texts = [
      'We’re 🚀🚀 to the moon 👩‍👩‍👧‍👦 #startup',
      '東京で会いましょう — café naïve',
      "I'll say it: they've won't-do it's 100% https://t.co/AbC123?x=1&y=2",
      '  leading spaces\n\nnew\tlines   trailing   ',
      '\u200b zero width and \u00a0nbsp',
    ];
    for (const text of texts) {
      const ids = tokenizer.encode(text);
      expect(ids).toEqual(reference.encode(text));
      expect(tokenizer.decode(ids)).toBe(text);
    }
  });

  it('has the 50,257-token vocabulary with <|endoftext|> last and decodes it', () => {
    expect(tokenizer.vocabSize).toBe(50257);
    expect(tokenizer.decode([END_OF_TEXT_ID])).toBe('<|endoftext|>');
    expect(() => tokenizer.decode([50257])).toThrow(/not in the GPT-2 vocabulary/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { referenceTweets } from '../test/reference-tweets.js';
import { END_OF_TEXT_ID, Gpt2Tokenizer } from './gpt2-tokenizer.js';
import { TokenizerPool } from './tokenizer-pool.js';

describe('TokenizerPool', () => {
  const pool = new TokenizerPool(2);
  afterAll(() => pool.close());

  it('gives, batch by batch and in order, what one tokenizer gives, each text closed by <|endoftext|>', async () => {
    const tweets = await referenceTweets('democrats', 3000);
    const batches = Array.from({ length: 6 }, (_, i) => tweets.slice(i * 500, (i + 1) * 500));
    const results = await Promise.all(batches.map((b) => pool.encodeDocuments(b)));
    const one = new Gpt2Tokenizer();
    batches.forEach((batch, i) => {
      expect([...results[i]!]).toEqual(batch.flatMap((text) => [...one.encode(text), END_OF_TEXT_ID]));
    });
    expect(await pool.encodeDocuments([])).toHaveLength(0);
  });

  it('fails the requests of a thread that dies, replaces it, and goes on', async () => {
    const one = new Gpt2Tokenizer();
    await expect(pool.encodeDocuments([null as unknown as string])).rejects.toThrow();
    for (let i = 0; i < 4; i++) expect([...(await pool.encodeDocuments(['still here']))]).toEqual([...one.encode('still here'), END_OF_TEXT_ID]);
  });
});

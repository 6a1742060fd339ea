import { parentPort } from 'node:worker_threads';
import { END_OF_TEXT_ID, Gpt2Tokenizer } from './gpt2-tokenizer.js';

export interface EncodeRequest {
  id: number;
  texts: string[];
}

export interface EncodeReply {
  id: number;
  /** Every text's ids, each followed by <|endoftext|>. */
  tokens: Uint16Array;
}

const tokenizer = new Gpt2Tokenizer();

parentPort!.on('message', ({ id, texts }: EncodeRequest) => {
  const ids: number[] = [];
  for (const text of texts) {
    for (const token of tokenizer.encode(text)) ids.push(token);
    ids.push(END_OF_TEXT_ID);
  }
  const tokens = Uint16Array.from(ids);
  parentPort!.postMessage({ id, tokens } satisfies EncodeReply, [tokens.buffer]);
});

export { Gpt2Tokenizer, END_OF_TEXT, END_OF_TEXT_ID, GPT2_VOCAB_SIZE } from './gpt2-tokenizer.js';
export { tokenizerJson, tokenizerConfig, writeTokenizerFiles } from './tokenizer-files.js';
export { TokenizerPool } from './tokenizer-pool.js';

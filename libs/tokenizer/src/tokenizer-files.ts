import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gpt2Files } from './gpt2-files.js';
import { END_OF_TEXT, END_OF_TEXT_ID } from './gpt2-tokenizer.js';

/** GPT-2's tokenizer in the Hugging Face `tokenizers` format, built from OpenAI's BPE tables. */
export function tokenizerJson(): object {
  const { vocab, merges } = gpt2Files();
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: END_OF_TEXT_ID, content: END_OF_TEXT, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/**
 * `clean_up_tokenization_spaces` must be off: on, decoding glues " ," and " n't" and the text no
 * longer round-trips.
 */
export function tokenizerConfig(modelMaxLength: number): object {
  return {
    add_prefix_space: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    model_max_length: modelMaxLength,
    tokenizer_class: 'GPT2Tokenizer',
    clean_up_tokenization_spaces: false,
  };
}

/** Writes tokenizer.json and tokenizer_config.json into a model folder. */
export async function writeTokenizerFiles(dir: string, modelMaxLength: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(modelMaxLength), null, 2));
}

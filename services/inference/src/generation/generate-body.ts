import { z } from 'zod';

const MAX_PROMPT_CHARS = 2000;

/**
 * The body of POST /v1/models/{name}/generate: the parameters Hugging Face's text-generation
 * pipeline takes, under its names, so the original game's client sends what it always sent.
 */
export function generateBodySchema(maxNewTokensLimit: number) {
  return z
    .object({
      prompt: z.string({ error: 'a string' }).max(MAX_PROMPT_CHARS, { error: `at most ${MAX_PROMPT_CHARS} characters` }).optional(),
      max_new_tokens: z
        .number({ error: 'a whole number' })
        .int({ error: 'a whole number' })
        .min(1, { error: 'at least 1' })
        .max(maxNewTokensLimit, { error: `at most ${maxNewTokensLimit}` })
        .default(40),
      min_length: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0, { error: 'at least 0' }).max(1024).default(0),
      temperature: z.number({ error: 'a number' }).min(0, { error: 'at least 0 (0 decodes greedily)' }).max(10, { error: 'at most 10' }).default(1),
      top_k: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0, { error: 'at least 0 (0 keeps every token)' }).max(50257).default(50),
      top_p: z.number({ error: 'a number' }).gt(0, { error: 'above 0' }).max(1, { error: 'at most 1' }).default(1),
      repetition_penalty: z.number({ error: 'a number' }).gt(0, { error: 'above 0' }).max(10, { error: 'at most 10' }).default(1),
      num_return_sequences: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(1, { error: 'at least 1' }).max(16, { error: 'at most 16' }).default(1),
      seed: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0).max(2 ** 32 - 1, { error: 'below 2^32' }).optional(),
      /** Hugging Face's pipelines answer prompt + continuation unless told otherwise. */
      return_full_text: z.boolean({ error: 'true or false' }).default(true),
    }, { error: 'a JSON object' })
    .strict();
}

export type GenerateBody = z.output<ReturnType<typeof generateBodySchema>>;

export const scoreBodySchema = z
  .object({ text: z.string({ error: 'a string' }).min(1, { error: 'not empty' }).max(MAX_PROMPT_CHARS, { error: `at most ${MAX_PROMPT_CHARS} characters` }) }, { error: 'a JSON object' })
  .strict();

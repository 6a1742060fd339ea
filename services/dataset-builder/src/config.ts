import { artifactEnvSchema, baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3003),
  ...artifactEnvSchema.shape,
  /** Below this a build fails: a model would only memorise so few tokens. */
  DATASET_MIN_TRAIN_TOKENS: z.coerce.number({ error: 'a whole number of tokens' }).int().min(1).default(20_000),
  DATASET_MIN_VAL_TOKENS: z.coerce.number({ error: 'a whole number of tokens' }).int().min(1).default(1_000),
});

export type Config = z.output<typeof envSchema>;

export const DATASET_BUILDER_CONFIG = Symbol('DATASET_BUILDER_CONFIG');

import { artifactEnvSchema, baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3004),
  ...artifactEnvSchema.shape,
  /** A Python 3 with torch; unset: the first of `python3`, `/usr/bin/python3` that has it. */
  TRAINER_PYTHON: z.string().min(1).optional(),
  /** Run folders (checkpoints) live here between a kill and the retry that resumes them. */
  TRAINER_WORK_DIR: z.string().min(1).optional(),
  /** Jobs may start from local weights folders under this one (e.g. OpenAI's GPT-2 checkpoints); unset: artifact URIs only. */
  TRAINER_WEIGHTS_DIR: z.string().startsWith('/', { error: 'an absolute folder' }).optional(),
  /** `auto` picks CUDA when torch sees a GPU. */
  TRAINER_DEVICE: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  /** Validation windows the exported ONNX models are scored on (fp32 against int8). */
  TRAINER_ONNX_EVAL_WINDOWS: z.coerce.number({ error: 'a whole number' }).int().min(1).max(10_000).default(48),
});

export type Config = z.output<typeof envSchema>;

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

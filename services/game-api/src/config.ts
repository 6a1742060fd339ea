import { baseEnvSchema, portSchema } from '@ttt/config';
import type { z } from 'zod';

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3000),
});

export type Config = z.output<typeof envSchema>;

import { baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3002),
  /** Import jobs this process runs at once; each streams one file or URL. */
  IMPORT_CONCURRENCY: z.coerce.number({ error: 'a whole number from 1 to 8' }).int().min(1).max(8).default(1),
});

export type Config = z.output<typeof envSchema>;

export const SCRAPER_CONFIG = Symbol('SCRAPER_CONFIG');

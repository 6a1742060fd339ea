import { baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

const ADMIN_KEY_MIN_LENGTH = 24;

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3000),
  /**
   * Keys of the admin API (`Authorization: Bearer <key>`), comma-separated, each at least 24
   * characters. Unset: every /admin route answers 401.
   */
  ADMIN_API_KEYS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0))
    .refine((keys) => keys.every((k) => k.length >= ADMIN_KEY_MIN_LENGTH && !/\s/.test(k)), {
      error: `comma-separated keys of at least ${ADMIN_KEY_MIN_LENGTH} characters each, without spaces`,
    }),
});

export type Config = z.output<typeof envSchema>;

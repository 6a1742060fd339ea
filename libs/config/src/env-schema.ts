import { z } from 'zod';

// Variables every service reads. Each service extends this with its own.
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// or postgresql:// connection URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }),
  /** Key prefix of every BullMQ queue: lets several deployments (or test runs) share a Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'letters, digits, _ . - (at most 64)' })
    .default('ttt'),
  HOST: z.string().min(1).default('0.0.0.0'),
});

export const portSchema = (fallback: number) =>
  z.coerce
    .number({ error: 'a TCP port number' })
    .int({ error: 'a whole TCP port number' })
    .min(1, { error: 'a TCP port between 1 and 65535' })
    .max(65535, { error: 'a TCP port between 1 and 65535' })
    .default(fallback);

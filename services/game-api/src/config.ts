import { baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

const ADMIN_KEY_MIN_LENGTH = 24;
const SESSION_SECRET_MIN_LENGTH = 32;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
  /**
   * Signs the players' session cookies. Every replica needs the same one, and it must survive
   * restarts or every player starts over; unset, each process draws its own (one machine only).
   */
  GAME_SESSION_SECRET: z
    .string()
    .min(SESSION_SECRET_MIN_LENGTH, { error: `at least ${SESSION_SECRET_MIN_LENGTH} characters` })
    .optional(),
  /** Postgres connections of this process: rounds and guesses are one statement each, so a few go far. */
  DB_POOL_SIZE: positiveInt(10),
  /** The share of rounds that show a machine tweet. */
  GAME_MACHINE_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  /** Seconds a round can be guessed after it was dealt. */
  GAME_ROUND_TTL_S: positiveInt(600),
  /**
   * Tweets of each kind fetched per refill of an edition's memory, so dealing a round never
   * waits on a pick: each kind holds between one and two refills' worth.
   */
  GAME_REFILL_SIZE: positiveInt(64),
  /** Rounds and guesses allowed per minute, for each session and for each client IP. */
  GAME_RATE_SESSION_PER_MIN: positiveInt(120),
  GAME_RATE_IP_PER_MIN: positiveInt(600),
  /**
   * Proxies in front of game-api (an ingress, a load balancer) whose X-Forwarded-For entries
   * are trusted: the client IP is the entry this many hops from the right. 0: the socket's peer.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** Where the inference service answers: token scores for the reveal, live generation when a pool is dry. */
  INFERENCE_URL: z.url().default('http://127.0.0.1:3001'),
  GAME_LIVE_GENERATION_TIMEOUT_MS: positiveInt(3000),
  /** Length cap of a live machine tweet, in tokens (the pool's POOL_MAX_NEW_TOKENS). */
  GAME_LIVE_MAX_NEW_TOKENS: positiveInt(64),
  /**
   * Human tweets longer than this many GPT-2 tokens are not dealt: machine tweets stop at the
   * pool's POOL_MAX_NEW_TOKENS (64), so a longer tweet could only be a person's.
   */
  GAME_MAX_TWEET_TOKENS: positiveInt(64),
  GAME_SCORE_TIMEOUT_MS: positiveInt(5000),
  /** The built web app; unset, web/dist of this checkout. */
  WEB_DIST_DIR: z.string().optional(),
});

export type Config = z.output<typeof envSchema>;

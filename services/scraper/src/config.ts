import { baseEnvSchema, portSchema } from '@ttt/config';
import { z } from 'zod';

const json = <T extends z.ZodType>(schema: T, what: string) =>
  z.string().transform((text, ctx) => {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data as z.output<T>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: what });
    return z.NEVER;
  });

const list = z.string().transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean));

export const envSchema = baseEnvSchema.extend({
  PORT: portSchema(3002),
  /** Import jobs this process runs at once; each streams one file or URL. */
  IMPORT_CONCURRENCY: z.coerce.number({ error: 'a whole number from 1 to 8' }).int().min(1).max(8).default(1),
  /** Accounts scraped at once by this process. */
  SCRAPE_CONCURRENCY: z.coerce.number({ error: 'a whole number from 1 to 32' }).int().min(1).max(32).default(2),
  /** A walk stops after this many pages (the first walk of an account goes back this far). */
  SCRAPE_MAX_PAGES: z.coerce.number({ error: 'a whole number ≥ 1' }).int().min(1).default(50),
  /** A rate limit resetting sooner is waited out in place; a later one hands the worker to another account. */
  SCRAPE_MAX_WAIT_MS: z.coerce.number({ error: 'milliseconds' }).int().min(0).default(60_000),
  /** How long a scrape job's lock lasts without renewal: how soon a dead worker's job is taken over. */
  SCRAPE_LOCK_MS: z.coerce.number({ error: 'milliseconds ≥ 1000' }).int().min(1000).default(60_000),
  /** X's web client values (they rotate): the bearer token, query ids and feature flags it sends. */
  X_BASE_URL: z.url({ error: 'an http(s) URL' }).default('https://x.com'),
  X_BEARER_TOKEN: z.string().min(1).optional(),
  X_QUERY_IDS: json(z.object({ UserByScreenName: z.string().min(1), UserTweets: z.string().min(1) }), 'JSON {"UserByScreenName": "<id>", "UserTweets": "<id>"}').default({
    UserByScreenName: 'Gb-d6r0vxPOADdG62OEBpQ',
    UserTweets: 'eoJ5zbv51Z_KVl81v9PmLQ',
  }),
  X_FEATURES: json(z.record(z.string(), z.boolean()), 'a JSON object of feature flags (name: true|false)').default({}),
  /** A logged-in account (cookies auth_token and ct0); unset: guest tokens. */
  X_AUTH_TOKEN: z.string().min(1).optional(),
  X_CT0: z.string().min(1).optional(),
  BLUESKY_BASE_URL: z.url({ error: 'an http(s) URL' }).default('https://public.api.bsky.app'),
  /** Proxies to rotate through, comma-separated http://user:pass@host:port; unset: direct. */
  PROXY_URLS: list.optional(),
  /** Or one Scrapoxy endpoint, with the names of its upstream proxies to pin sessions to. */
  SCRAPOXY_URL: z.url({ error: 'an http(s) URL' }).optional(),
  SCRAPOXY_PROXY_NAMES: list.optional(),
  PROXY_COOL_DOWN_MS: z.coerce.number({ error: 'milliseconds' }).int().min(0).default(60_000),
});

export type Config = z.output<typeof envSchema>;

export const SCRAPER_CONFIG = Symbol('SCRAPER_CONFIG');

import { categorySlug } from '@ttt/contracts';
import { z } from 'zod';

// Request bodies (validated) and response shapes (documented in openapi.json).

export const createCategoryBody = z.strictObject({
  slug: categorySlug,
  name: z.string({ error: 'a name (1-200 characters)' }).trim().min(1, { error: 'a name (1-200 characters)' }).max(200),
  description: z.string({ error: 'a text' }).max(2000).optional(),
});

export const addSourcesBody = z.strictObject({
  platform: z.enum(['x', 'bluesky'], { error: '"x" or "bluesky"' }).default('x'),
  handles: z.array(z.string({ error: 'a handle (text)' }), { error: 'a list of handles' }).min(1, { error: 'at least one handle' }).max(10_000),
});

export const categoryResponse = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  sources: z.number().int(),
  tweets: z.number().int(),
  activeModel: z.object({ id: z.number().int(), version: z.number().int() }).nullable(),
});

export const sourceResponse = z.object({
  id: z.number().int(),
  platform: z.enum(['x', 'bluesky']),
  handle: z.string(),
  category: z.string(),
  status: z.enum(['active', 'disabled', 'not_found', 'suspended', 'error']),
  lastScrapedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const addSourcesResponse = z.object({
  added: z.number().int(),
  alreadyPresent: z.number().int(),
  invalid: z.array(z.object({ line: z.number().int(), text: z.string(), reason: z.string() })),
});

export const jobResponse = z.object({
  id: z.string().describe('"<queue>:<BullMQ id>"'),
  queue: z.string(),
  state: z.string(),
});

export const jobDetailResponse = jobResponse.extend({
  progress: z.unknown(),
  attemptsMade: z.number().int(),
  failedReason: z.string().nullable(),
  result: z.unknown(),
  data: z.unknown(),
  createdAt: z.string().nullable(),
  processedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const modelResponse = z.object({
  id: z.number().int(),
  categoryId: z.number().int().nullable(),
  category: z.string().nullable(),
  version: z.number().int(),
  status: z.enum(['training', 'ready', 'active', 'retired', 'failed']),
  artifactUri: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
});

export const errorResponse = z.object({ statusCode: z.number().int(), message: z.string() });

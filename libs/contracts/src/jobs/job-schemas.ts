import { z } from 'zod';
import { categorySlug } from './category-slug.js';
import { datasetFiltersSchema } from './dataset-filters.js';
import { QueueName } from './queue-names.js';

export const importJobSchema = z.object({
  category: categorySlug,
  /**
   * An http(s) URL, or an absolute path to a file or folder as the worker sees it, of twint
   * JSON lines (plain or .gz). Relative paths are refused: a worker's working folder is not
   * something the producer of a job can know.
   */
  from: z
    .string({ error: 'an http(s) URL or an absolute path' })
    .refine((v) => /^https?:\/\/[^/]/i.test(v) || v.startsWith('/'), { error: 'an http(s) URL or an absolute path' }),
});

export const scrapeJobSchema = z.object({ category: categorySlug });

export const scrapeAccountJobSchema = z.object({
  sourceAccountId: z.number().int().positive(),
  scrapeRunId: z.number().int().positive().optional(),
});

export const buildDatasetJobSchema = z.object({
  category: categorySlug,
  filters: datasetFiltersSchema,
  /** Share of tweets in validation, chosen by a hash of each tweet's id. */
  valFraction: z.number().gt(0).max(0.5).default(0.05),
  /** Changes which tweets hash into validation; keep it fixed to keep splits stable. */
  seed: z.number().int().min(0).default(0),
});

export const trainJobSchema = z.object({
  datasetIds: z.array(z.number().int().positive()).min(1),
  base: z.union([
    z.object({ kind: z.literal('scratch'), config: z.record(z.string(), z.unknown()) }),
    z.object({ kind: z.literal('weights'), location: z.string().min(1) }),
    z.object({ kind: z.literal('hub'), name: z.string().min(1) }),
    z.object({ kind: z.literal('version'), modelVersionId: z.number().int().positive() }),
  ]),
  hyperparameters: z.record(z.string(), z.unknown()).default({}),
});

export const generateJobSchema = z.object({
  modelVersionId: z.number().int().positive(),
  count: z.number().int().positive().max(10_000),
});

export const evaluateJobSchema = z.object({ modelVersionId: z.number().int().positive() });

/**
 * A realtime request a gateway hands to the workers. The body was checked by the gateway and
 * is checked again by the worker, which knows the model's limits.
 */
export const inferenceJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('generate'), model: z.string().min(1), body: z.record(z.string(), z.unknown()), deadline: z.number().int() }),
  z.object({ kind: z.literal('score'), model: z.string().min(1), text: z.string(), deadline: z.number().int() }),
]);

/** Payload schema of each queue: checked when a job is added and again when it is taken. */
export const jobSchemas = {
  [QueueName.import]: importJobSchema,
  [QueueName.scrape]: scrapeJobSchema,
  [QueueName.scrapeAccount]: scrapeAccountJobSchema,
  [QueueName.buildDataset]: buildDatasetJobSchema,
  [QueueName.train]: trainJobSchema,
  [QueueName.generate]: generateJobSchema,
  [QueueName.evaluate]: evaluateJobSchema,
  [QueueName.inference]: inferenceJobSchema,
} satisfies Record<QueueName, z.ZodType>;

export type JobPayload<Q extends QueueName> = z.output<(typeof jobSchemas)[Q]>;
export type JobInput<Q extends QueueName> = z.input<(typeof jobSchemas)[Q]>;

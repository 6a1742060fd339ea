import { z } from 'zod';

/**
 * What a dataset build drops and how it dedupes. Defaults follow the seed's scraper (no replies,
 * no links) plus what makes a poor training example: retweets, mention-only and very short
 * tweets. Unknown keys are refused so a typo cannot silently keep the defaults.
 */
export const datasetFiltersSchema = z
  .strictObject({
    dropReplies: z.boolean().default(true),
    dropRetweets: z.boolean().default(true),
    dropQuotes: z.boolean().default(false),
    dropLinks: z.boolean().default(true),
    dropMentionOnly: z.boolean().default(true),
    /** Characters after cleaning, mentions and links removed. */
    minChars: z.number().int().min(0).max(280).default(20),
    /** `near` also folds case, punctuation, mentions, links and emoji before comparing. */
    dedupe: z.enum(['none', 'exact', 'near']).default('near'),
  })
  .default({
    dropReplies: true,
    dropRetweets: true,
    dropQuotes: false,
    dropLinks: true,
    dropMentionOnly: true,
    minChars: 20,
    dedupe: 'near',
  });

export type DatasetFilters = z.output<typeof datasetFiltersSchema>;

import { z } from 'zod';

export const tweetsImportedEvent = z.object({ category: z.string(), inserted: z.number().int(), linked: z.number().int() });
export const tweetsScrapedEvent = z.object({ category: z.string(), sourceAccountId: z.number().int(), inserted: z.number().int() });
export const datasetBuiltEvent = z.object({ datasetId: z.number().int(), category: z.string() });
export const modelPublishedEvent = z.object({ modelVersionId: z.number().int(), category: z.string().nullable() });
export const modelActivatedEvent = z.object({ modelVersionId: z.number().int(), category: z.string() });

import { z } from 'zod';

/** A category's slug: what sources/<slug>.txt and the editions are named by. */
export const categorySlug = z
  .string({ error: 'a category slug (lower-case letters, digits, dashes)' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a category slug (lower-case letters, digits, dashes)' });

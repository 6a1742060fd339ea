import type pg from 'pg';
import type { HandleList } from '@ttt/contracts';

export interface SeedResult {
  slug: string;
  categoryCreated: boolean;
  accountsAdded: number;
  accountsKnown: number;
}

/** Upserts a category and its X source accounts from a handle list. */
export class SourceSeedRepository {
  constructor(private readonly pool: pg.Pool) {}

  async seed(list: HandleList): Promise<SeedResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const category = await client.query<{ id: number; created: boolean }>(
        `INSERT INTO categories (slug, name, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [list.slug, list.name],
      );
      const { id, created } = category.rows[0];
      const added = await client.query(
        `INSERT INTO source_accounts (platform, handle, category_id, updated_at)
         SELECT 'x', h, $2, now() FROM unnest($1::text[]) AS h
         ON CONFLICT (platform, handle, category_id) DO NOTHING`,
        [list.handles, id],
      );
      await client.query('COMMIT');
      const accountsAdded = added.rowCount ?? 0;
      return { slug: list.slug, categoryCreated: created, accountsAdded, accountsKnown: list.handles.length - accountsAdded };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

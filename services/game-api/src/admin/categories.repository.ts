import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';

export interface CategoryRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  sources: number;
  tweets: number;
  activeModel: { id: number; version: number } | null;
}

export class CategoryExistsError extends Error {}

@Injectable()
export class CategoriesRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async list(): Promise<CategoryRow[]> {
    const { rows } = await this.pool.query(
      `SELECT c.id, c.slug, c.name, c.description,
              (SELECT count(*) FROM source_accounts s WHERE s.category_id = c.id)::int AS sources,
              (SELECT count(*) FROM tweet_categories t WHERE t.category_id = c.id)::int AS tweets,
              m.id AS model_id, m.version AS model_version
         FROM categories c
         LEFT JOIN LATERAL (SELECT id, version FROM model_versions WHERE category_id = c.id AND status = 'active' ORDER BY activated_at DESC NULLS LAST LIMIT 1) m ON true
        ORDER BY c.slug`,
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      description: r.description,
      sources: r.sources,
      tweets: r.tweets,
      activeModel: r.model_id === null ? null : { id: r.model_id, version: r.model_version },
    }));
  }

  async findId(slug: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug]);
    return rows[0]?.id ?? null;
  }

  async create(input: { slug: string; name: string; description?: string }): Promise<CategoryRow> {
    const { rows } = await this.pool.query(
      `INSERT INTO categories (slug, name, description, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (slug) DO NOTHING RETURNING id, slug, name, description`,
      [input.slug, input.name, input.description ?? null],
    );
    if (!rows[0]) throw new CategoryExistsError(`category ${input.slug} already exists`);
    return { ...rows[0], sources: 0, tweets: 0, activeModel: null };
  }
}

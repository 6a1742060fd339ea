import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';

export interface Edition {
  categoryId: number;
  slug: string;
  name: string;
  description: string | null;
  /** The active model version: machine tweets come from its pool. */
  modelVersionId: number;
  modelVersion: number;
}

const TTL_MS = 5_000;

/**
 * The playable editions: categories with an active model version. Read at most every few
 * seconds, so a category activated later appears without a restart and rounds cost no lookup.
 */
@Injectable()
export class EditionsRepository {
  private cached: { at: number; editions: Promise<Edition[]> } | null = null;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  list(): Promise<Edition[]> {
    if (!this.cached || Date.now() - this.cached.at > TTL_MS) {
      const editions = this.load();
      this.cached = { at: Date.now(), editions };
      // A failed read must not be served from the cache until it expires.
      editions.catch(() => {
        if (this.cached?.editions === editions) this.cached = null;
      });
    }
    return this.cached.editions;
  }

  async find(slug: string): Promise<Edition | undefined> {
    return (await this.list()).find((e) => e.slug === slug);
  }

  /** The edition of that slug, or a 400 for `field` that lists the playable ones. */
  async require(slug: string | undefined, field: string): Promise<Edition> {
    const editions = await this.list();
    const edition = editions.find((e) => e.slug === slug);
    if (!edition) throw new BadRequestException(`${field}: no edition "${slug ?? ''}"; playable editions: ${editions.map((e) => e.slug).join(', ') || 'none yet'}`);
    return edition;
  }

  private async load(): Promise<Edition[]> {
    const { rows } = await this.pool.query(
      `SELECT c.id, c.slug, c.name, c.description, mv.id AS model_version_id, mv.version
       FROM categories c
       JOIN LATERAL (SELECT id, version FROM model_versions WHERE category_id = c.id AND status = 'active' ORDER BY activated_at DESC NULLS LAST, id DESC LIMIT 1) mv ON true
       ORDER BY c.id`,
    );
    return rows.map((r) => ({ categoryId: r.id, slug: r.slug, name: r.name, description: r.description, modelVersionId: r.model_version_id, modelVersion: r.version }));
  }
}

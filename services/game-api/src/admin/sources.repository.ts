import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';
import type { Platform } from './handle-input.js';

export interface SourceRow {
  id: number;
  platform: Platform;
  handle: string;
  category: string;
  status: string;
  lastScrapedAt: string | null;
  lastError: string | null;
}

const SELECT = `SELECT s.id, s.platform, s.handle, c.slug, s.status, s.last_scraped_at, s.last_error
                  FROM source_accounts s JOIN categories c ON c.id = s.category_id`;

/** A category's source accounts. */
@Injectable()
export class SourcesRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async listForCategory(categoryId: number): Promise<SourceRow[]> {
    const { rows } = await this.pool.query(`${SELECT} WHERE s.category_id = $1 ORDER BY s.platform, lower(s.handle), s.id`, [categoryId]);
    return rows.map(toRow);
  }

  /** Adds the handles not there yet (compared without case); how many were new. */
  async add(categoryId: number, platform: Platform, handles: string[]): Promise<number> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO source_accounts (platform, handle, category_id, updated_at)
       SELECT $2::"Platform", h, $1, now() FROM unnest($3::text[]) AS h
        WHERE NOT EXISTS (SELECT 1 FROM source_accounts s WHERE s.category_id = $1 AND s.platform = $2::"Platform" AND lower(s.handle) = lower(h))
       ON CONFLICT (platform, handle, category_id) DO NOTHING`,
      [categoryId, platform, handles],
    );
    return rowCount ?? 0;
  }

  /** Disables or re-enables a source; null when there is no such source. */
  async setEnabled(id: number, enabled: boolean): Promise<SourceRow | null> {
    const { rowCount } = await this.pool.query(
      `UPDATE source_accounts SET status = $2::"SourceStatus", last_error = CASE WHEN $2 = 'active' THEN NULL ELSE last_error END, updated_at = now() WHERE id = $1`,
      [id, enabled ? 'active' : 'disabled'],
    );
    if (!rowCount) return null;
    const { rows } = await this.pool.query(`${SELECT} WHERE s.id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }
}

function toRow(r: Record<string, unknown>): SourceRow {
  return {
    id: r.id as number,
    platform: r.platform as Platform,
    handle: r.handle as string,
    category: r.slug as string,
    status: r.status as string,
    lastScrapedAt: r.last_scraped_at ? (r.last_scraped_at as Date).toISOString() : null,
    lastError: (r.last_error as string | null) ?? null,
  };
}

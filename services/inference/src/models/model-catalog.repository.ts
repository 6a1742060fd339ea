import type pg from 'pg';

export interface CatalogRow {
  id: number;
  category: string;
  version: number;
  status: 'training' | 'ready' | 'active' | 'retired' | 'failed';
  artifactUri: string | null;
  metrics: Record<string, unknown> | null;
  createdAt: Date;
  activatedAt: Date | null;
  datasetIds: number[];
}

const SELECT = `
  SELECT m.id, c.slug, m.version, m.status, m.artifact_uri, m.metrics, m.created_at, m.activated_at,
         COALESCE(array_agg(d.dataset_id ORDER BY d.dataset_id) FILTER (WHERE d.dataset_id IS NOT NULL), '{}') AS dataset_ids
    FROM model_versions m
    JOIN categories c ON c.id = m.category_id
    LEFT JOIN model_version_datasets d ON d.model_version_id = m.id`;

/** The category models the service may load: what Postgres says about each version. */
export class ModelCatalogRepository {
  constructor(private readonly pool: pg.Pool) {}

  async active(): Promise<CatalogRow[]> {
    const { rows } = await this.pool.query(`${SELECT} WHERE m.status = 'active' GROUP BY m.id, c.slug ORDER BY c.slug`);
    return rows.map(toRow);
  }

  async servable(): Promise<CatalogRow[]> {
    const { rows } = await this.pool.query(`${SELECT} WHERE m.status IN ('ready', 'active', 'retired') GROUP BY m.id, c.slug ORDER BY c.slug, m.version`);
    return rows.map(toRow);
  }

  async byVersion(category: string, version: number): Promise<CatalogRow | null> {
    const { rows } = await this.pool.query(`${SELECT} WHERE c.slug = $1 AND m.version = $2 GROUP BY m.id, c.slug`, [category, version]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async byId(id: number): Promise<CatalogRow | null> {
    const { rows } = await this.pool.query(`${SELECT} WHERE m.id = $1 GROUP BY m.id, c.slug`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async categoryExists(category: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM categories WHERE slug = $1', [category]);
    return (rowCount ?? 0) > 0;
  }

  /** Merges `patch` into the version's metrics (top-level keys), leaving the trainer's own figures. */
  async mergeMetrics(id: number, patch: Record<string, unknown>): Promise<void> {
    await this.pool.query(`UPDATE model_versions SET metrics = COALESCE(metrics, '{}'::jsonb) || $2::jsonb WHERE id = $1`, [id, JSON.stringify(patch)]);
  }
}

function toRow(r: Record<string, unknown>): CatalogRow {
  return {
    id: r.id as number,
    category: r.slug as string,
    version: r.version as number,
    status: r.status as CatalogRow['status'],
    artifactUri: r.artifact_uri as string | null,
    metrics: r.metrics as Record<string, unknown> | null,
    createdAt: r.created_at as Date,
    activatedAt: r.activated_at as Date | null,
    datasetIds: r.dataset_ids as number[],
  };
}

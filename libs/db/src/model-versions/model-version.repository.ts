import type pg from 'pg';

export interface DatasetForTraining {
  id: number;
  categoryId: number;
  category: string;
  status: string;
  artifactUri: string | null;
  trainTokens: number;
}

export interface ModelVersionRow {
  id: number;
  categoryId: number | null;
  category: string | null;
  version: number;
  status: string;
  artifactUri: string | null;
  metrics: Record<string, unknown> | null;
}

/** Model versions and what training needs to read about datasets. */
export class ModelVersionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async datasets(ids: number[]): Promise<DatasetForTraining[]> {
    const { rows } = await this.pool.query(
      `SELECT d.id, d.category_id, c.slug, d.status, d.artifact_uri, d.train_tokens
         FROM datasets d JOIN categories c ON c.id = d.category_id WHERE d.id = ANY($1::int[]) ORDER BY d.id`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id,
      categoryId: r.category_id,
      category: r.slug,
      status: r.status,
      artifactUri: r.artifact_uri,
      trainTokens: Number(r.train_tokens),
    }));
  }

  async find(id: number): Promise<ModelVersionRow | null> {
    const { rows } = await this.pool.query(
      `SELECT m.id, m.category_id, c.slug, m.version, m.status, m.artifact_uri, m.metrics
         FROM model_versions m LEFT JOIN categories c ON c.id = m.category_id WHERE m.id = $1`,
      [id],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(): Promise<ModelVersionRow[]> {
    const { rows } = await this.pool.query(
      `SELECT m.id, m.category_id, c.slug, m.version, m.status, m.artifact_uri, m.metrics
         FROM model_versions m LEFT JOIN categories c ON c.id = m.category_id ORDER BY c.slug NULLS FIRST, m.version`,
    );
    return rows.map(toRow);
  }

  /**
   * A new version numbered after the category's (or the base models') last one. The advisory
   * lock serialises numbering per category; the unique index would only turn a race into an error.
   */
  async create(input: { categoryId: number | null; base: object; parentId: number | null; hyperparameters: object; datasetIds: number[] }): Promise<ModelVersionRow> {
    // Released before reading back: holding it would starve a full pool of waiting creators.
    const id = await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(72707370, $1)', [input.categoryId ?? 0]);
      const { rows } = await client.query(
        `INSERT INTO model_versions (category_id, version, status, base, parent_id, hyperparameters)
         SELECT $1, coalesce(max(version), 0) + 1, 'training', $2, $3, $4
           FROM model_versions WHERE category_id IS NOT DISTINCT FROM $1
         RETURNING id`,
        [input.categoryId, JSON.stringify(input.base), input.parentId, JSON.stringify(input.hyperparameters)],
      );
      await client.query('INSERT INTO model_version_datasets (model_version_id, dataset_id) SELECT $1, unnest($2::int[])', [rows[0].id, input.datasetIds]);
      return rows[0].id as number;
    });
    return (await this.find(id))!;
  }

  async markReady(id: number, artifactUri: string, metrics: object): Promise<void> {
    await this.pool.query(`UPDATE model_versions SET status = 'ready', artifact_uri = $2, metrics = $3, error = NULL WHERE id = $1`, [
      id,
      artifactUri,
      JSON.stringify(metrics),
    ]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.pool.query(`UPDATE model_versions SET status = 'failed', error = $2 WHERE id = $1`, [id, error]);
  }

  async markTraining(id: number): Promise<void> {
    await this.pool.query(`UPDATE model_versions SET status = 'training', error = NULL WHERE id = $1`, [id]);
  }

  /**
   * Makes a ready (or retired) version its category's active one; the one it replaces goes back
   * to ready. One statement, so a reader never sees two active versions or none between them.
   */
  async activate(id: number): Promise<ModelVersionRow> {
    const version = await this.find(id);
    if (!version) throw new ModelVersionNotFoundError(id);
    if (version.categoryId === null) throw new Error(`model version ${id} is a base model (no category): fine-tune it per category, then activate those`);
    if (!['ready', 'active', 'retired'].includes(version.status)) throw new Error(`model version ${id} is ${version.status}, not ready: it cannot be activated`);
    await this.transaction(async (client) => {
      // Two activations in one category at once must not leave both active.
      await client.query('SELECT pg_advisory_xact_lock(72707371, $1)', [version.categoryId]);
      await client.query(
        `UPDATE model_versions SET
           status = CASE WHEN id = $1 THEN 'active'::"ModelStatus" ELSE 'ready'::"ModelStatus" END,
           activated_at = CASE WHEN id = $1 THEN now() ELSE activated_at END,
           retired_at = CASE WHEN id = $1 THEN NULL ELSE retired_at END
         WHERE id = $1 OR (category_id = $2 AND status = 'active')`,
        [id, version.categoryId],
      );
    });
    return (await this.find(id))!;
  }

  async retire(id: number): Promise<ModelVersionRow> {
    const version = await this.find(id);
    if (!version) throw new ModelVersionNotFoundError(id);
    await this.pool.query(`UPDATE model_versions SET status = 'retired', retired_at = now() WHERE id = $1`, [id]);
    return (await this.find(id))!;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}

export class ModelVersionNotFoundError extends Error {
  constructor(id: number) {
    super(`model version ${id} does not exist`);
  }
}

function toRow(r: Record<string, unknown>): ModelVersionRow {
  return {
    id: r.id as number,
    categoryId: r.category_id as number | null,
    category: r.slug as string | null,
    version: r.version as number,
    status: r.status as string,
    artifactUri: r.artifact_uri as string | null,
    metrics: r.metrics as Record<string, unknown> | null,
  };
}

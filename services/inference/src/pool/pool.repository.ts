import type pg from 'pg';

export interface NewMachineTweet {
  text: string;
  sampling: Record<string, unknown>;
  tokenCount: number;
}

/** The game's pool of machine tweets in Postgres, and the tweets models were trained on. */
export class PoolRepository {
  constructor(private readonly pool: pg.Pool) {}

  async unserved(modelVersionId: number): Promise<number> {
    const { rows } = await this.pool.query('SELECT count(*)::int AS n FROM generated_tweets WHERE model_version_id = $1 AND served_at IS NULL', [modelVersionId]);
    return rows[0].n;
  }

  async insert(modelVersionId: number, tweets: NewMachineTweet[]): Promise<void> {
    if (tweets.length === 0) return;
    await this.pool.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, t.text, t.sampling, t.token_count FROM jsonb_to_recordset($2::jsonb) AS t(text text, sampling jsonb, token_count int)`,
      [modelVersionId, JSON.stringify(tweets.map((t) => ({ text: t.text, sampling: t.sampling, token_count: t.tokenCount })))],
    );
  }

  /** Texts of tweets by database id (a dataset's split file names them). */
  async texts(ids: bigint[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += 20_000) {
      const { rows } = await this.pool.query('SELECT text FROM tweets WHERE id = ANY($1::bigint[]) ORDER BY id', [ids.slice(i, i + 20_000).map(String)]);
      for (const r of rows) out.push(r.text);
    }
    return out;
  }

  async datasetArtifacts(ids: number[]): Promise<Array<{ id: number; artifactUri: string | null }>> {
    const { rows } = await this.pool.query('SELECT id, artifact_uri FROM datasets WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
    return rows.map((r) => ({ id: r.id, artifactUri: r.artifact_uri }));
  }

  /** Versions that serve or may serve, and whether they have been evaluated yet. */
  async versionsToKeep(): Promise<Array<{ id: number; status: string; evaluated: boolean; hasDatasets: boolean }>> {
    const { rows } = await this.pool.query(
      `SELECT m.id, m.status, (m.metrics ? 'evaluation') AS evaluated,
              EXISTS (SELECT 1 FROM model_version_datasets d WHERE d.model_version_id = m.id) AS has_datasets
         FROM model_versions m
        WHERE m.category_id IS NOT NULL AND m.status IN ('ready', 'active') AND m.artifact_uri IS NOT NULL ORDER BY m.id`,
    );
    return rows.map((r) => ({ id: r.id, status: r.status, evaluated: r.evaluated === true, hasDatasets: r.has_datasets === true }));
  }

  /** Adds this run's pool counts to the version's running totals in its metrics. */
  async addPoolCounts(modelVersionId: number, accepted: number, rejected: Record<string, number>): Promise<void> {
    await this.pool.query(
      `UPDATE model_versions SET metrics = jsonb_set(COALESCE(metrics, '{}'::jsonb), '{pool}', jsonb_build_object(
          'accepted', COALESCE((metrics->'pool'->>'accepted')::int, 0) + $2::int,
          'rejected', (SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
              SELECT k, sum(v)::int AS v FROM (
                SELECT key AS k, value::int AS v FROM jsonb_each_text(COALESCE(metrics->'pool'->'rejected', '{}'::jsonb))
                UNION ALL SELECT key, value::int FROM jsonb_each_text($3::jsonb)) s GROUP BY k) t)))
        WHERE id = $1`,
      [modelVersionId, accepted, JSON.stringify(rejected)],
    );
  }
}

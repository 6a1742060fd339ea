import { LocalArtifactStore } from '@ttt/artifacts';
import { ensureDatabase, migrate, defaultMigrationsDir } from '@ttt/db';
import pg from 'pg';

/** A database holding one category whose active model is the given folder, for the service to load. */
export async function seedBenchModel(databaseUrl: string, storeRoot: string, modelDir: string): Promise<void> {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, defaultMigrationsDir());
  const store = new LocalArtifactStore(storeRoot);
  const uri = await store.putFolder(modelDir, 'models/bench/v1');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('TRUNCATE model_versions, categories RESTART IDENTITY CASCADE');
    const { rows } = await db.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('bench', 'Benchmark', now()) RETURNING id`);
    await db.query(
      `INSERT INTO model_versions (category_id, version, status, base, hyperparameters, artifact_uri, activated_at)
       VALUES ($1, 1, 'active', '{"kind":"scratch","config":"gpt2"}', '{}', $2, now())`,
      [rows[0].id, uri],
    );
  } finally {
    await db.end();
  }
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalArtifactStore } from '@ttt/artifacts';
import pg from 'pg';

export interface SeededVersion {
  id: number;
  version: number;
}

/**
 * A category with human tweets, a dataset whose split file names them (every tenth in
 * validation) and model versions whose artifacts are the given model folders: what the
 * dataset builder and the trainer would have left in Postgres and the artifact store.
 */
export async function seedCategory(
  databaseUrl: string,
  store: LocalArtifactStore,
  stagingRoot: string,
  options: { category: string; tweets: string[]; models: Array<{ dir: string; status: 'active' | 'ready' }> },
): Promise<{ categoryId: number; datasetId: number; versions: SeededVersion[] }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: cat } = await db.query('INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now()) RETURNING id', [options.category]);
    const categoryId = cat[0].id as number;
    const ids: string[] = [];
    for (const [i, text] of options.tweets.entries()) {
      const { rows } = await db.query(
        `INSERT INTO tweets (platform, platform_id, author_handle, text, tweeted_at, raw, origin)
         VALUES ('x', $1, 'someone', $2, now(), '{}', 'twint_import') RETURNING id`,
        [`${options.category}-${i}`, text],
      );
      ids.push(String(rows[0].id));
      await db.query('INSERT INTO tweet_categories (tweet_id, category_id) VALUES ($1, $2)', [rows[0].id, categoryId]);
    }
    const { rows: ds } = await db.query(
      `INSERT INTO datasets (category_id, status, filters, val_fraction, tweet_count) VALUES ($1, 'ready', '{}', 0.1, $2) RETURNING id`,
      [categoryId, ids.length],
    );
    const datasetId = ds[0].id as number;
    const staging = join(stagingRoot, `dataset-${datasetId}`);
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'splits.tsv'), ids.map((id, i) => `${id}\t${i % 10 === 9 ? 'val' : 'train'}`).join('\n') + '\n');
    const datasetUri = await store.putFolder(staging, `datasets/${options.category}/d${datasetId}`);
    await db.query('UPDATE datasets SET artifact_uri = $2 WHERE id = $1', [datasetId, datasetUri]);
    const versions: SeededVersion[] = [];
    for (const [i, model] of options.models.entries()) {
      const version = i + 1;
      const uri = await store.putFolder(model.dir, `models/${options.category}/v${version}`);
      const { rows } = await db.query(
        `INSERT INTO model_versions (category_id, version, status, base, hyperparameters, metrics, artifact_uri, activated_at)
         VALUES ($1, $2, $3::"ModelStatus", '{"kind":"scratch"}', '{}', '{"valLoss": 10.8}', $4, CASE WHEN $3::text = 'active' THEN now() END) RETURNING id`,
        [categoryId, version, model.status, uri],
      );
      await db.query('INSERT INTO model_version_datasets (model_version_id, dataset_id) VALUES ($1, $2)', [rows[0].id, datasetId]);
      versions.push({ id: rows[0].id, version });
    }
    return { categoryId, datasetId, versions };
  } finally {
    await db.end();
  }
}

/** Human-looking tweets, distinct and long enough to pass the dataset filters. */
export function sampleTweets(n: number): string[] {
  const subjects = ['The market', 'Our team', 'This founder', 'The vaccine rollout', 'Congress', 'My inbox', 'The new fund', 'Every startup'];
  const verbs = ['is finally moving on', 'keeps talking about', 'just shipped', 'will never understand', 'is quietly betting on', 'needs to rethink'];
  const objects = ['remote work', 'seed rounds', 'public health', 'the budget', 'open source', 'climate tech', 'hiring in 2021', 'the election'];
  return Array.from({ length: n }, (_, i) => `${subjects[i % 8]} ${verbs[Math.floor(i / 8) % 6]} ${objects[Math.floor(i / 48) % 8]} (#${i})`);
}

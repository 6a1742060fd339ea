import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultMigrationsDir, ensureDatabase, migrate } from '@ttt/db';
import pg from 'pg';

const run = promisify(execFile);
const importCli = fileURLToPath(new URL('../../../scraper/dist/import/import.cli.js', import.meta.url));

/** The reference tweets beside the project (never inside it); REFERENCE_DATA_DIR overrides. */
function referenceDataDir(): string {
  return process.env.REFERENCE_DATA_DIR ?? fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
}

/**
 * A database with one playable edition: the real VC tweets (imported once) and an active model
 * version whose pool holds `poolSize` unserved machine tweets. The pool's texts are the
 * edition's own tweets with their words shuffled, so both kinds have the same lengths and no
 * model needs to run: the benchmarks measure the game server, not generation.
 */
export async function prepareBenchWorld(databaseUrl: string, poolSize: number, say: (line: string) => void): Promise<{ tweets: number }> {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, defaultMigrationsDir());
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('vc', 'Venture Capital', now()) ON CONFLICT (slug) DO NOTHING`);
    const { rows: cat } = await db.query(`SELECT id FROM categories WHERE slug = 'vc'`);
    const categoryId = cat[0].id as number;
    let { rows } = await db.query('SELECT count(*)::int AS n FROM tweet_categories WHERE category_id = $1', [categoryId]);
    if (rows[0].n === 0) {
      const file = `${referenceDataDir()}/seed-tweets/vc.jsonl.gz`;
      if (!existsSync(file)) throw new Error(`the reference tweets are not at ${file}: set REFERENCE_DATA_DIR to the folder holding seed-tweets/`);
      say(`▸ importing ${file} (once)`);
      await run(process.execPath, [importCli, '--category', 'vc', '--from', file], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, maxBuffer: 64 << 20 });
      ({ rows } = await db.query('SELECT count(*)::int AS n FROM tweet_categories WHERE category_id = $1', [categoryId]));
    }
    // A clean slate for the game's own tables, so every run measures the same thing.
    await db.query('TRUNCATE guesses, rounds, players, generated_tweets');
    await db.query(
      `INSERT INTO model_versions (category_id, version, status, base, hyperparameters, activated_at)
       SELECT $1, 1, 'active', '{"kind":"scratch"}', '{}', now() WHERE NOT EXISTS (SELECT 1 FROM model_versions WHERE category_id = $1)`,
      [categoryId],
    );
    const { rows: mv } = await db.query(`SELECT id FROM model_versions WHERE category_id = $1 ORDER BY id LIMIT 1`, [categoryId]);
    await db.query(
      `INSERT INTO generated_tweets (model_version_id, text, sampling, token_count)
       SELECT $1, (SELECT string_agg(w, ' ' ORDER BY random()) FROM regexp_split_to_table(t.text, '\\s+') w), '{"temperature":1,"top_k":50,"top_p":0.95}', 30
       FROM (SELECT t.text FROM tweet_categories tc JOIN tweets t ON t.id = tc.tweet_id
             WHERE tc.category_id = $2 AND NOT t.has_link AND NOT t.is_reply AND NOT t.is_retweet AND length(t.text) BETWEEN 20 AND 280
             ORDER BY tc.sample_key LIMIT $3) t`,
      [mv[0].id, categoryId, poolSize],
    );
    // Fresh statistics, so the planner sees the tables as they now are, as autovacuum would.
    await db.query('ANALYZE generated_tweets, tweet_categories, tweets, rounds, guesses, players');
    return { tweets: rows[0].n as number };
  } finally {
    await db.end();
  }
}

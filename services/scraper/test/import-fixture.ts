import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import pg from 'pg';
import { TweetImportRepository } from '../src/import/tweet-import.repository.js';

export interface ImportFixture {
  db: TestDatabase;
  pool: pg.Pool;
  repo: TweetImportRepository;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** A fresh migrated database with the four reference categories, and an import repository on it. */
export async function importFixture(): Promise<ImportFixture> {
  const db = await createTestDatabase();
  // A server whose zone is not UTC must not shift tweet times (Debian's follows the system's).
  await new pg.Client({ connectionString: db.url }).connect().then(async (c) => {
    await c.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} SET timezone TO 'Asia/Kolkata'`);
    await c.end();
  });
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  for (const slug of ['vc', 'republicans', 'democrats', 'covid19']) {
    await pool.query('INSERT INTO categories (slug, name, updated_at) VALUES ($1, $1, now())', [slug]);
  }
  return {
    db,
    pool,
    repo: new TweetImportRepository(pool),
    count: async (sql, params = []) => Number((await pool.query(sql, params)).rows[0].n),
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

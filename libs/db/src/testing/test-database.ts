import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminUrl, databaseName, withDatabase } from '../migrate/database-url.js';
import { ensureDatabase } from '../migrate/ensure-database.js';
import { migrate } from '../migrate/migrator.js';
import { defaultMigrationsDir } from '../migrate/migrations-dir.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for one test file: copied from the migrated base
 * database (CREATE DATABASE ... TEMPLATE is fast), so test files run in parallel without
 * sharing rows.
 */
export async function createTestDatabase(
  baseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt_test',
): Promise<TestDatabase> {
  // The base database is the template: migrated here if it is behind, never used directly.
  const templateName = databaseName(baseUrl);
  const name = `${templateName}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(baseUrl) });
  await admin.connect();
  try {
    // Test files start in parallel: one at a time brings the template up to date and clones it.
    await admin.query('SELECT pg_advisory_lock(4242)');
    await ensureDatabase(baseUrl);
    await migrate(baseUrl, defaultMigrationsDir());
    await cloneWhenIdle(admin, templateName, name);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(4242)').catch(() => {});
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  return {
    url,
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(baseUrl) });
      await c.connect();
      try {
        // pg's Pool.end() resolves once it has asked its connections to close, not when they
        // have: give them a moment, or FORCE kills one mid-goodbye and its client, no longer
        // listened to, throws in the test process.
        for (let waited = 0; waited < 3000; waited += 50) {
          const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

// A connection that just closed can linger a moment, and Postgres refuses to copy a database
// someone is connected to.
async function cloneWhenIdle(admin: pg.Client, template: string, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
      return;
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

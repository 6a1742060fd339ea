import pg from 'pg';
import { adminUrl, databaseName } from './database-url.js';

const INVALID_CATALOG_NAME = '3D000'; // the database does not exist
const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the database named in the URL when it does not exist yet (a fresh machine). The
 * database itself is tried first: on a managed server the application's user may well be
 * unable to reach "postgres" or create databases, and needs neither when the database exists.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  if (!name) throw new Error(`DATABASE_URL names no database: ${new URL(databaseUrl).host}`);
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) throw error;
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    // Another deploy created it first: what we wanted.
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) return false;
    throw error;
  } finally {
    await admin.end();
  }
}

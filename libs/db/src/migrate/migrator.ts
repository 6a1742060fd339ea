import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type MigrationFile, readMigrations } from './migration-files.js';

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

// The same table and lock Prisma's schema engine uses, so a database migrated here is one
// `prisma migrate deploy` considers up to date, and the other way round.
const PRISMA_ADVISORY_LOCK = 72707369;
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migration folders that the database has not seen, each in its own
 * transaction, so a failing migration leaves neither its changes nor a history row behind
 * (unless the file manages transactions itself; see applyAsWritten). Works offline: it needs
 * only a Postgres connection, not Prisma's native schema engine.
 */
export async function migrate(
  databaseUrl: string,
  migrationsDir: string,
  log: (line: string) => void = () => {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const history = new Map(rows.map((r) => [r.migration_name, r]));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const seen = history.get(migration.name);
      if (seen && !seen.finished_at) {
        throw new Error(
          `Migration ${migration.name} started earlier and did not finish. Repair the database by hand, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${migration.name}').`,
        );
      }
      if (seen) {
        if (seen.checksum !== migration.checksum) {
          log(`warning: ${migration.name} was edited after it was applied (checksum differs); it is not applied again`);
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      log(`applying ${migration.name}`);
      if (managesItsOwnTransactions(migration.sql)) await applyAsWritten(client, migration);
      else await applyInTransaction(client, migration);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

// Prisma writes BEGIN/COMMIT into some migrations (changing an enum's values), and a statement
// such as CREATE INDEX CONCURRENTLY cannot run inside a transaction at all. Looked for in the
// statements only: comments, string literals and dollar-quoted bodies (a function ending in
// "END;") are blanked out first.
const TRANSACTION_CONTROL = /(^|;)\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT)\b[^;]*;/i;
const CONCURRENTLY = /\b(CREATE|DROP)\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|\bREINDEX\b[^;]*\bCONCURRENTLY\b/i;

function statementsOnly(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|(\$[A-Za-z_]*\$)[\s\S]*?\1/g, ' ');
}

const managesItsOwnTransactions = (sql: string) => {
  const statements = statementsOnly(sql);
  return TRANSACTION_CONTROL.test(statements) || CONCURRENTLY.test(statements);
};

async function startRow(client: pg.Client, migration: MigrationFile): Promise<string> {
  const id = randomUUID();
  await client.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
    [id, migration.checksum, migration.name],
  );
  return id;
}

const finishRow = (client: pg.Client, id: string) =>
  client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);

/** The usual case, stronger than Prisma's: the file and its history row commit together or not at all. */
async function applyInTransaction(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = await startRow(client, migration);
    await client.query(migration.sql);
    await finishRow(client, id);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A file with its own transaction control runs as written, as `prisma migrate deploy` runs it.
 * If it fails, its history row stays unfinished, with the error in logs, as Prisma leaves it.
 */
async function applyAsWritten(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = await startRow(client, migration);
  try {
    await client.query(migration.sql);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, (error as Error).message]).catch(() => {});
    throw new Error(
      `Migration ${migration.name} failed part-way (it manages its own transactions, so what it committed stays): ${(error as Error).message}`,
      { cause: error },
    );
  }
  await finishRow(client, id);
}

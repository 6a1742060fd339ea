import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../prisma.service.js';
import { adminUrl, withDatabase } from './database-url.js';
import { ensureDatabase } from './ensure-database.js';
import { defaultMigrationsDir } from './migrations-dir.js';
import { migrate } from './migrator.js';
import { migrationList, noFilters, openSchemaEngine } from './prisma-schema-engine.js';

const schemaPath = join(defaultMigrationsDir(), '..', 'schema.prisma');

const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ttt_test';
const fresh = () => withDatabase(base, `ttt_migrate_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
const created: string[] = [];
async function dropAll() {
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  for (const url of created) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(new URL(url).pathname.slice(1))} WITH (FORCE)`);
  await admin.end();
}
/** The project's migrations plus extra ones, in a folder of their own. */
async function migrationsWith(extra: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('offline migrations', () => {
  const url = fresh();
  created.push(url);
  beforeAll(async () => {
    expect(await ensureDatabase(url)).toBe(true);
  });
  afterAll(dropAll);

  it('apply every migration to a fresh database, once', async () => {
    const first = await migrate(url, defaultMigrationsDir());
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toEqual([]);
    const second = await migrate(url, defaultMigrationsDir());
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    expect(await ensureDatabase(url)).toBe(false);
  });

  it('record history as Prisma does: Prisma’s own engine finds nothing left to apply', async () => {
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    for (const row of rows) {
      const sql = await readFile(join(defaultMigrationsDir(), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
    }
    // What `prisma migrate deploy` runs, compiled to WebAssembly.
    const { engine, close } = await openSchemaEngine(url, await readFile(schemaPath, 'utf8'));
    try {
      const applied = await engine.applyMigrations({ migrationsList: await migrationList(defaultMigrationsDir()), filters: noFilters });
      expect(applied.appliedMigrationNames).toEqual([]);
    } finally {
      await close();
    }
  });

  it('accept a database Prisma migrated: nothing to apply here either', async () => {
    const prismaMigrated = fresh();
    created.push(prismaMigrated);
    await ensureDatabase(prismaMigrated);
    const { engine, close } = await openSchemaEngine(prismaMigrated, await readFile(schemaPath, 'utf8'));
    const byPrisma = await engine
      .applyMigrations({ migrationsList: await migrationList(defaultMigrationsDir()), filters: noFilters })
      .finally(close);
    expect(byPrisma.appliedMigrationNames.length).toBeGreaterThan(0);
    const ours = await migrate(prismaMigrated, defaultMigrationsDir());
    expect(ours.applied).toEqual([]);
    expect(ours.alreadyApplied).toEqual(byPrisma.appliedMigrationNames);
  });

  it('build the store the Prisma client reads and writes, with exact 64-bit ids and unique tweets', async () => {
    const prisma = new PrismaService(url);
    try {
      const category = await prisma.category.create({ data: { slug: 'vc', name: 'Venture Capital' } });
      const tweet = {
        platform: 'x' as const,
        platformId: '1267196520354295808',
        authorHandle: 'andrewchen',
        text: 'hello',
        tweetedAt: new Date('2020-05-31T20:49:28Z'),
        raw: { id: '1267196520354295808' },
        origin: 'twint_import' as const,
      };
      const stored = await prisma.tweet.create({ data: { ...tweet, categories: { create: { categoryId: category.id } } } });
      expect(stored.platformId).toBe('1267196520354295808');
      await expect(prisma.tweet.create({ data: tweet })).rejects.toThrow(/Unique constraint/i);
      const linked = await prisma.tweetCategory.findFirstOrThrow({ where: { categoryId: category.id } });
      expect(linked.sampleKey).toBeGreaterThanOrEqual(0);
      expect(linked.sampleKey).toBeLessThan(1);
      // Foreign keys hold: a round cannot point at a category that does not exist.
      await expect(
        prisma.round.create({ data: { id: 'r1', categoryId: 9999, truth: 'human', text: 't', expiresAt: new Date() } }),
      ).rejects.toThrow(/Foreign key/i);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('run a migration with its own BEGIN/COMMIT, or a CONCURRENTLY index, as written, as Prisma does', async () => {
    const dir = await migrationsWith({
      // The shape Prisma writes when an enum loses a value.
      '29980101000000_own_transaction': `BEGIN;\nCREATE TYPE "Mood" AS ENUM ('happy', 'sad');\nCOMMIT;\nALTER TABLE "players" ADD COLUMN "mood" "Mood";\n`,
      '29980102000000_concurrent_index': 'CREATE INDEX CONCURRENTLY "tweets_created_at_idx" ON "tweets"("created_at");\n',
    });
    const result = await migrate(url, dir);
    expect(result.applied).toEqual(['29980101000000_own_transaction', '29980102000000_concurrent_index']);
    const rows = await query<{ finished_at: Date | null }>(url, `SELECT finished_at FROM "_prisma_migrations" WHERE migration_name LIKE '2998%'`);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await query(url, `SELECT 1 FROM pg_indexes WHERE indexname = 'tweets_created_at_idx'`)).toHaveLength(1);
    expect(await query(url, `SELECT 1 FROM information_schema.columns WHERE table_name = 'players' AND column_name = 'mood'`)).toHaveLength(1);
  });

  it('leave a failed self-managed migration as Prisma does: its committed part stays, its row unfinished, and say so', async () => {
    const broken = fresh();
    created.push(broken);
    await ensureDatabase(broken);
    await migrate(broken, defaultMigrationsDir());
    const dir = await migrationsWith({
      '29970101000000_half':
        `BEGIN;\nCREATE TYPE "Weather" AS ENUM ('sun', 'rain');\nCOMMIT;\nALTER TABLE no_such_table ADD COLUMN x int;\n`,
    });
    await expect(migrate(broken, dir)).rejects.toThrow(/29970101000000_half failed part-way .*no_such_table/);
    expect(await query(broken, `SELECT 1 FROM pg_type WHERE typname = 'Weather'`)).toHaveLength(1);
    const [row] = await query<{ finished_at: Date | null; logs: string | null }>(
      broken,
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '29970101000000_half'`,
    );
    expect(row.finished_at).toBeNull();
    expect(row.logs).toMatch(/no_such_table/);
    await expect(migrate(broken, dir)).rejects.toThrow(/started earlier and did not finish/);
  });

  it('keep a function whose body ends in END; inside the all-or-nothing transaction', async () => {
    const dir = await migrationsWith({
      '29990101000000_function':
        'CREATE FUNCTION answer() RETURNS int AS $$\nBEGIN\n  RETURN 42;\nEND;\n$$ LANGUAGE plpgsql;\n-- a comment that says CONCURRENTLY\nALTER TABLE no_such_table ADD COLUMN x int;\n',
    });
    await expect(migrate(url, dir)).rejects.toThrow(/29990101000000_function failed and was rolled back/);
    expect(await query(url, `SELECT 1 FROM pg_proc WHERE proname = 'answer'`)).toEqual([]);
  });

  it('roll a failing migration back whole, leaving no history row and no half-made table', async () => {
    const dir = await migrationsWith({
      '29990101000000_broken':
        'CREATE TABLE half_made (id int);\nALTER TABLE no_such_table ADD COLUMN x int;\n',
    });
    await expect(migrate(url, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back: .*no_such_table/);
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_made'")).toEqual([]);
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).toEqual([]);
  });
});

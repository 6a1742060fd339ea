// `npm run db:new-migration -- <name> [--from <git ref>]`: writes
// prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the schema the
// migrations were written for to the schema.prisma in the working tree. That base is
// schema.prisma as committed with the newest migration (or --from <ref>); with no migrations
// yet, an empty database. Prisma's `migrate dev` needs a native engine it would download; this
// drives the same engine compiled to WebAssembly, offline. Review the SQL before committing it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { noFilters, openSchemaEngine } from '@ttt/db/schema-engine';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' } } });
const name = positionals[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:new-migration -- <name_in_snake_case> [--from <git ref>]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const migrationsDir = join(root, 'prisma/migrations');
const migrations = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const uncommitted = git('status', '--porcelain', '--', 'prisma/migrations');
if (uncommitted && !values.from) {
  console.error(`prisma/migrations has uncommitted changes:\n${uncommitted}\nCommit them with the schema they were made for, or pass --from <ref>.`);
  process.exit(1);
}
const base = values.from ?? (migrations.length ? git('log', '-1', '--format=%H', '--', 'prisma/migrations') : null);
const previous = base ? git('show', `${base}:prisma/schema.prisma`) : null;
const content = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');

// The engine opens a connection even for a schema-to-schema diff; it changes nothing there.
const { engine, close } = await openSchemaEngine(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', content);
const { stdout } = await engine.diff({
  from: previous === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] },
  to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] },
  script: true,
  exitCode: null,
  filters: noFilters,
}).finally(close);
if (!stdout || /empty migration/.test(stdout)) {
  console.log(`schema.prisma matches ${previous === null ? 'an empty database' : `the schema at ${base.slice(0, 10)}`}: nothing to write`);
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), stdout);
  console.log(`wrote ${dir}/migration.sql (from the schema at ${base ? base.slice(0, 10) : 'empty'})`);
}

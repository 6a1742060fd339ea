// `npm run db:new-migration -- <name> [--from <git ref>]`: writes
// prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the schema as
// committed at <git ref> (HEAD by default; nothing when there are no migrations yet) to the
// schema.prisma in the working tree. Prisma's `migrate dev` needs a native engine it
// downloads; this drives the same engine built to WebAssembly, so it works offline. The
// migrations it writes are ordinary Prisma ones. Review the SQL before committing it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string', default: 'HEAD' } } });
const name = positionals[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:new-migration -- <name_in_snake_case> [--from <git ref>]');
  process.exit(2);
}

async function loadEngine() {
  // The package's exports point at a .wasm ES module import, which Node cannot load yet.
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bg = await import(join(dir, 'schema_engine_bg.js'));
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, 'schema_engine_bg.wasm')), { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg.SchemaEngine;
}

const content = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
const hasMigrations = readdirSync(join(root, 'prisma/migrations'), { withFileTypes: true }).some((e) => e.isDirectory());
const previous = hasMigrations
  ? execFileSync('git', ['show', `${values.from}:prisma/schema.prisma`], { cwd: root, encoding: 'utf8' })
  : null;

const SchemaEngine = await loadEngine();
// The engine opens a connection even for a schema-to-schema diff; it changes nothing there.
const adapter = bindMigrationAwareSqlAdapterFactory(
  new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }),
);
const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', content]] }, () => {}, adapter);
const { stdout } = await engine.diff({
  from: previous === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] },
  to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
if (!stdout || /empty migration/.test(stdout)) {
  console.log(`schema.prisma matches ${previous === null ? 'an empty database' : values.from}: nothing to write`);
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(root, 'prisma/migrations', `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), stdout);
  console.log(`wrote ${dir}/migration.sql`);
}
process.exit(0);

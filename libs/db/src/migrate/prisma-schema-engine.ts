import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { readMigrations } from './migration-files.js';

/** The methods of Prisma's schema engine this project uses (see schema_engine.d.ts). */
export interface SchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections. */
  close(): Promise<void>;
}

// Node has WebAssembly; the ES2023 lib this project compiles against does not declare it.
const wasmRuntime = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
}).WebAssembly;

let engineClass: { new: (options: unknown, log: () => void, adapter: unknown) => Promise<SchemaEngine> } | undefined;

async function loadEngineClass() {
  if (engineClass) return engineClass;
  // The package's exports point at a .wasm ES module import, which Node cannot load yet: the
  // wasm is instantiated here and handed to its bindings.
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bindings = await import(join(dir, 'schema_engine_bg.js'));
  const { instance } = await wasmRuntime.instantiate(readFileSync(join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  engineClass = bindings.SchemaEngine;
  return engineClass!;
}

/**
 * Prisma's schema engine — what `prisma migrate` runs natively — compiled to WebAssembly and
 * talking to Postgres through the pg driver adapter, so it runs offline. A development and
 * test tool: the services migrate with `migrate()`.
 */
export async function openSchemaEngine(databaseUrl: string, schema: string): Promise<OpenSchemaEngine> {
  const SchemaEngine = await loadEngineClass();
  // A pool of ours, so that closing it is ours too.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {});
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}

/** A migrations folder in the shape the engine reads. */
export async function migrationList(baseDir: string) {
  const migrations = await readMigrations(baseDir);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(join(baseDir, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

export const noFilters = { externalTables: [], externalEnums: [] };

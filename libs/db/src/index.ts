export { PrismaService } from './prisma.service.js';
export { DbModule, PG_POOL } from './db.module.js';
export { migrate, type MigrateResult } from './migrate/migrator.js';
export { ensureDatabase } from './migrate/ensure-database.js';
export { defaultMigrationsDir } from './migrate/migrations-dir.js';
export { adminUrl, databaseName, withDatabase } from './migrate/database-url.js';
export * from './generated/prisma/client.js';
export { ModelVersionRepository, ModelVersionNotFoundError, type ModelVersionRow, type DatasetForTraining } from './model-versions/model-version.repository.js';
export { isDatabaseUnavailable } from './database-unavailable.js';

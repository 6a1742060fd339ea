import { fileURLToPath } from 'node:url';

/** prisma/migrations of this repository, from src/ (tests) or dist/ (built) alike. */
export const defaultMigrationsDir = (): string =>
  process.env.MIGRATIONS_DIR ?? fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

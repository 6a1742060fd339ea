import { baseEnvSchema, loadConfigOrExit } from '@ttt/config';
import { databaseName } from './database-url.js';
import { ensureDatabase } from './ensure-database.js';
import { migrate } from './migrator.js';
import { defaultMigrationsDir } from './migrations-dir.js';

// `npm run db:migrate`: creates the database if needed and applies pending migrations.
const { DATABASE_URL: databaseUrl } = loadConfigOrExit(baseEnvSchema.pick({ DATABASE_URL: true }));
try {
  if (await ensureDatabase(databaseUrl)) console.log(`created database ${databaseName(databaseUrl)}`);
  const result = await migrate(databaseUrl, defaultMigrationsDir(), (line) => console.log(line));
  console.log(`${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

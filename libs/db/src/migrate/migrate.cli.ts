import { ensureDatabase } from './ensure-database.js';
import { migrate } from './migrator.js';
import { defaultMigrationsDir } from './migrations-dir.js';

// `npm run db:migrate`: creates the database if needed and applies pending migrations.
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is missing; expected a postgresql:// connection URL');
  process.exit(1);
}
try {
  if (await ensureDatabase(databaseUrl)) console.log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const result = await migrate(databaseUrl, defaultMigrationsDir(), (line) => console.log(line));
  console.log(`${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

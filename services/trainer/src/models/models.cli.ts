import { loadConfigOrExit } from '@ttt/config';
import { EventName, EventPublisher } from '@ttt/contracts';
import pg from 'pg';
import { envSchema } from '../config.js';
import { ModelVersionRepository, type ModelVersionRow } from '@ttt/db';

const USAGE = `Usage: npm run models -- list | activate <id> | retire <id>

list      every model version with its status and validation loss
activate  makes a ready version its category's active one (the game and inference use it)
retire    takes a version out of service`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

const [command, idText] = process.argv.slice(2);
if (command === '--help' || command === '-h') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!command || !['list', 'activate', 'retire'].includes(command)) usage(command ? `unknown command "${command}"` : 'a command is required');
const id = Number(idText);
if (command !== 'list' && (!Number.isInteger(id) || id < 1)) usage(`${command} needs a model version id`);

const config = loadConfigOrExit(envSchema.pick({ DATABASE_URL: true, REDIS_URL: true }), 'models');
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
const repo = new ModelVersionRepository(pool);
const line = (v: ModelVersionRow) => {
  const loss = typeof v.metrics?.valLoss === 'number' ? v.metrics.valLoss.toFixed(4) : '-';
  return `${String(v.id).padStart(4)}  ${(v.category ?? '(base)').padEnd(14)} v${String(v.version).padEnd(4)} ${v.status.padEnd(9)} val loss ${loss}`;
};
let failed = false;
try {
  if (command === 'list') {
    const versions = await repo.list();
    process.stdout.write(versions.length ? `${versions.map(line).join('\n')}\n` : 'no model versions yet: npm run train\n');
  } else {
    const version = command === 'activate' ? await repo.activate(id) : await repo.retire(id);
    process.stdout.write(`${line(version)}\n`);
    if (command === 'activate' && version.category) {
      const events = new EventPublisher(config.REDIS_URL);
      await events.publish(EventName.modelActivated, { modelVersionId: version.id, category: version.category }).catch(() => 0);
      await events.onModuleDestroy();
    }
  }
} catch (error) {
  process.stderr.write(`models ${command} failed: ${(error as Error).message}\n`);
  failed = true;
} finally {
  await pool.end();
}
process.exit(failed ? 1 : 0);

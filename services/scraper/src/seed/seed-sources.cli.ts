import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { categorySlug, parseHandleList } from '@ttt/contracts';
import { baseEnvSchema, loadConfigOrExit } from '@ttt/config';
import pg from 'pg';
import { SourceSeedRepository } from './source-seed.repository.js';

// `npm run seed:sources [-- --dir sources]`: one category per sources/<slug>.txt, its handles
// as X source accounts. Safe to run again: only what is new is added.
const { values } = parseArgs({ options: { dir: { type: 'string', default: 'sources' } } });
const config = loadConfigOrExit(baseEnvSchema.pick({ DATABASE_URL: true }));
const dir = resolve(values.dir);
const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.txt')).sort();
if (!files.length) {
  process.stderr.write(`${dir} holds no <category>.txt handle lists\n`);
  process.exit(1);
}
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 });
const repo = new SourceSeedRepository(pool);
let bad = false;
try {
  for (const file of files) {
    const slug = basename(file, '.txt');
    if (!categorySlug.safeParse(slug).success) {
      process.stderr.write(`${file}: the file name must be a category slug (lower-case letters, digits, dashes); skipped\n`);
      bad = true;
      continue;
    }
    const list = parseHandleList(slug, await readFile(join(dir, file), 'utf8'));
    for (const p of list.problems) process.stderr.write(`${file}:${p.line}: "${p.text.trim()}" is ${p.reason}; skipped\n`);
    const r = await repo.seed(list);
    console.log(`${slug} (${list.name}): ${r.categoryCreated ? 'category created, ' : ''}${r.accountsAdded} account(s) added, ${r.accountsKnown} known`);
  }
} finally {
  await pool.end();
}
process.exit(bad ? 1 : 0);

import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@ttt/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/seed/seed-sources.cli.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('npm run seed:sources', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  const seed = (args: string[] = []) =>
    spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
  const rows = async (sql: string) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };

  it('creates a category per list and its accounts, and adds nothing the second time', async () => {
    const first = seed();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('vc (Venture Capital): category created');
    const categories = await rows('SELECT slug, name FROM categories ORDER BY slug');
    expect(categories.map((c) => c.slug)).toEqual(['covid19', 'democrats', 'republicans', 'vc']);
    const [{ n }] = await rows(`SELECT count(*)::int AS n FROM source_accounts WHERE platform = 'x' AND status = 'active'`);
    expect(n).toBeGreaterThan(40);

    const second = seed();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/vc \(Venture Capital\): 0 account\(s\) added, \d+ known/);
    expect((await rows('SELECT count(*)::int AS n FROM source_accounts'))[0].n).toBe(n);
  });

  it('adds a new list and reports bad lines by file and line without stopping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sources-'));
    await writeFile(join(dir, 'nba.txt'), '# name: NBA\nKingJames\nnot a handle\n\nStephenCurry30\n');
    const r = seed(['--dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('nba.txt:3: "not a handle" is not a handle');
    expect(r.stdout).toContain('nba (NBA): category created, 2 account(s) added');
  });
});

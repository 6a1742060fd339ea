import { spawn } from 'node:child_process';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportFixture, importFixture } from '../../test/import-fixture.js';
import { referenceData } from '../../test/reference-data.js';

const cli = fileURLToPath(new URL('../../dist/import/import.cli.js', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run import', () => {
  let f: ImportFixture;
  let env: Record<string, string>;
  beforeAll(async () => {
    f = await importFixture();
    env = { DATABASE_URL: f.db.url };
  });
  afterAll(async () => {
    await f.close();
  });

  it('imports a file, closes its progress bar, and prints a summary by reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const file = join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ id: 1, link: 'https://twitter.com/a/status/7000000000000000001', username: 'a', tweet: 'first', created_at: 1590958168000 }),
        'not json',
        JSON.stringify({ id: 2, link: 'https://twitter.com/a/status/7000000000000000002', username: 'a', tweet: 'second', created_at: 1590958168000 }),
      ].join('\n'),
    );
    const r = await run(['--category', 'vc', '--from', file], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/category vc: read 3 lines/);
    expect(r.stdout).toMatch(/inserted\s+2\b/);
    expect(r.stdout).toMatch(/invalid_json\s+1\b/);
    expect(r.stdout).toContain(`${file}:2  invalid_json`);
    expect(r.stderr).toMatch(/import vc ← .*mixed.jsonl \[#+\] 100%/);

    const again = await run(['--category', 'vc', '--from', file], env);
    expect(again.stdout).toMatch(/inserted\s+0\b/);
    expect(again.stdout).toMatch(/already present\s+2\b/);
  });

  it('takes several --from at once', async () => {
    const seed = join(referenceData(), 'seed-tweets', 'covid19.jsonl.gz');
    const r = await run(['--category', 'covid19', '--from', seed, '--from', seed], env);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/category covid19: read 12,975 lines/g)).toHaveLength(2);
    expect(await f.count('SELECT count(*) AS n FROM tweets')).toBe(12_975 + 2);
  });

  it('explains what is wrong with its arguments or environment, and exits non-zero', async () => {
    const noCategory = await run(['--from', 'x.jsonl'], env);
    expect(noCategory.code).toBe(2);
    expect(noCategory.stderr).toContain('--category is required');
    expect(noCategory.stderr).toContain('Usage: npm run import');

    const badSlug = await run(['--category', 'Venture Capital', '--from', 'x'], env);
    expect(badSlug.code).toBe(2);
    expect(badSlug.stderr).toContain('is not a slug');

    const unknown = await run(['--category', 'nfl', '--from', 'x'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown category "nfl". Known: covid19, democrats, republicans, vc');

    const noDb = await run(['--category', 'vc', '--from', 'x'], { DATABASE_URL: '' });
    expect(noDb.code).toBe(78);
    expect(noDb.stderr).toContain('DATABASE_URL is missing');
  });
});

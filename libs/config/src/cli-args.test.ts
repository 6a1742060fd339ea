import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A real command built on the helper, run as a process: exit codes and streams are the point.
const script = join(tmpdir(), `cli-args-${process.pid}.mjs`);
writeFileSync(
  script,
  `import { parseCliArgs } from ${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))};
const args = parseCliArgs('Usage: demo --name <n>', { name: { type: 'string' }, loud: { type: 'boolean' } });
if (!args.values.name) args.fail('--name is required');
process.stdout.write(JSON.stringify({ values: args.values, positionals: args.positionals }));`,
);
const run = (...argv: string[]) => spawnSync(process.execPath, [script, ...argv], { encoding: 'utf8' });

describe('parseCliArgs', () => {
  it('parses options and positionals', () => {
    const r = run('--name', 'x', '--loud', 'extra');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ values: { name: 'x', loud: true }, positionals: ['extra'] });
  });

  it('prints the usage on --help and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Usage: demo --name <n>\n');
  });

  it('names a wrong option, shows the usage and exits 2; fail() does the same', () => {
    const wrong = run('--nmae', 'x');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Unknown option '--nmae'[\s\S]*Usage: demo/);
    const missing = run();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('--name is required\n\nUsage: demo --name <n>\n');
  });
});

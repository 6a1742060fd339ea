import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export type Tree = Record<string, string | Buffer>;

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ttt-artifacts-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function writeTree(dir: string, tree: Tree): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(tree)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/**
 * Every file under `dir` by its slash path, its bytes as a latin1 string: compared byte for byte,
 * readable where it is text, and far quicker for expect() to compare than Buffers.
 */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path).split('\\').join('/')] = (await readFile(path)).toString('latin1');
  }
  return out;
}

/** A tree as readTree gives it back. */
export function asBytes(tree: Tree): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, Buffer.from(v).toString('latin1')]));
}

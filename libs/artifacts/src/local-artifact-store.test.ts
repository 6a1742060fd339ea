import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { asBytes, readTree, tempDir, writeTree } from '../test/folders.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let store: ArtifactStore;
beforeEach(async () => {
  work = await tempDir();
  store = new LocalArtifactStore(join(work.path, 'store'));
});
afterEach(() => work.remove());

it('names folders by file URL and hands out its own folder, not a copy', async () => {
  expect(store.rootUri).toBe(pathToFileURL(join(work.path, 'store')).href);
  const uri = await store.putFolder(await writeTree(join(work.path, 'src'), { 'a/b.txt': 'b' }), 'd/1');
  expect(uri).toBe(pathToFileURL(join(work.path, 'store', 'd', '1')).href);
  expect(await store.fetchFolder(uri, join(work.path, 'unused-cache'))).toBe(join(work.path, 'store', 'd', '1'));
  expect(await readdir(work.path)).not.toContain('unused-cache');
});

it('leaves the stored folder as it was and no half copy when a put fails', async () => {
  const uri = await store.putFolder(await writeTree(join(work.path, 'v1'), { f: 'v1' }), 'd/1');
  // A FIFO is something fs.cp refuses, after it has begun copying the folder.
  const v2 = await writeTree(join(work.path, 'v2'), { f: 'v2' });
  execFileSync('mkfifo', [join(v2, 'pipe')]);
  await expect(store.putFolder(v2, 'd/1')).rejects.toThrow();
  await expect(store.putFolder(join(work.path, 'no-such-folder'), 'd/1')).rejects.toThrow(/ENOENT/);
  expect(await readTree(await store.fetchFolder(uri, work.path))).toEqual(asBytes({ f: 'v1' }));
  expect(await readdir(join(work.path, 'store', 'd'))).toEqual(['1']);
});

it('refuses file URIs that climb out of the store or name its root', async () => {
  await mkdir(join(work.path, 'store'), { recursive: true });
  await writeFile(join(work.path, 'secret'), 'x');
  for (const uri of [`${store.rootUri}/../secret`, `${store.rootUri}/%2E%2E/secret`, store.rootUri, `${store.rootUri}/`]) {
    await expect(store.fetchFolder(uri, work.path), uri).rejects.toThrow(/is (outside|not in) this store/);
  }
});

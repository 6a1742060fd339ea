import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../test/folders.js';
import { defaultArtifactRoot } from './default-artifact-root.js';

// Temporary folders are outside the repository, so no nx.json lies above them but our own.
let work: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => work.remove());

it('is .artifacts in the nearest folder above that holds nx.json', async () => {
  const checkout = join(work.path, 'checkout');
  const deep = join(checkout, 'services', 'trainer', 'src');
  await mkdir(deep, { recursive: true });
  await writeFile(join(checkout, 'nx.json'), '{}');
  expect(defaultArtifactRoot(deep)).toBe(join(checkout, '.artifacts'));
  expect(defaultArtifactRoot(checkout)).toBe(join(checkout, '.artifacts'));
});

it('says to set ARTIFACT_STORE_URL when there is no checkout above', async () => {
  const lonely = join(work.path, 'image', 'app');
  await mkdir(lonely, { recursive: true });
  expect(() => defaultArtifactRoot(lonely)).toThrow(/ARTIFACT_STORE_URL is not set and no project checkout was found/);
});

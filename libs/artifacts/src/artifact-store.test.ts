import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asBytes, readTree, tempDir, writeTree } from '../test/folders.js';
import { startS3Server, type S3Server } from '../test/s3-server.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

// What every store must do, run against each kind: a folder on disk and a real S3 server.
const dataset = {
  'manifest.json': '{"rows":3}',
  'train/part-0.jsonl': '{"text":"a"}\n',
  'train/deep/part-1.bin': Buffer.from([0, 1, 2, 255, 254]),
  'empty.txt': '',
  'with space & ünïcode.txt': 'odd names inside a folder are fine',
};

let work: Awaited<ReturnType<typeof tempDir>>;
let s3: S3Server;
beforeAll(async () => {
  work = await tempDir();
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
  await work?.remove();
});

const kinds: Array<[string, (root: string) => ArtifactStore]> = [
  ['LocalArtifactStore', (root) => new LocalArtifactStore(join(root, 'store'))],
  [
    'S3ArtifactStore',
    (root) => new S3ArtifactStore(s3.bucket, `runs/${root.split(/[\\/]/).pop()}`, s3),
  ],
];

describe.each(kinds)('%s', (_name, open) => {
  let root: string;
  let store: ArtifactStore;
  let cache: string;
  beforeEach(async ({ task }) => {
    // A folder per test; the S3 store gets its own prefix from it so tests do not meet.
    root = join(work.path, task.id);
    store = open(root);
    cache = join(root, 'cache');
  });

  it('gives back a nested folder byte for byte', async () => {
    const uri = await store.putFolder(await writeTree(join(root, 'src'), dataset), 'datasets/vc/1');
    expect(uri).toBe(store.uriOf('datasets/vc/1'));
    expect(uri.startsWith(`${store.rootUri}/`)).toBe(true);
    expect(await readTree(await store.fetchFolder(uri, cache))).toEqual(asBytes(dataset));
  });

  it('replaces the folder on a second put: files gone from the source are gone', async () => {
    const uri = await store.putFolder(await writeTree(join(root, 'v1'), dataset), 'models/m');
    expect(Object.keys(await readTree(await store.fetchFolder(uri, cache)))).toHaveLength(5);
    const v2 = { 'manifest.json': '{"rows":4}', 'train/part-0.jsonl': 'new' };
    await store.putFolder(await writeTree(join(root, 'v2'), v2), 'models/m');
    expect(await readTree(await store.fetchFolder(uri, cache))).toEqual(asBytes(v2));
  });

  it('keeps one key apart from another that starts with the same name', async () => {
    await store.putFolder(await writeTree(join(root, 'a'), { 'a.txt': 'a' }), 'k/a');
    const ab = await store.putFolder(await writeTree(join(root, 'ab'), { 'ab.txt': 'ab' }), 'k/ab');
    await store.putFolder(await writeTree(join(root, 'a2'), { 'a2.txt': 'a2' }), 'k/a');
    expect(await readTree(await store.fetchFolder(ab, cache))).toEqual(asBytes({ 'ab.txt': 'ab' }));
  });

  it.each(['', '/', '../escape', 'a/../../b', 'a/./b', 'spaces not allowed', 'semi;colon', 'back\\slash', 'tilde~'])(
    'refuses the key %j',
    async (key) => {
      const src = await writeTree(join(root, 'src'), { f: 'x' });
      await expect(store.putFolder(src, key)).rejects.toThrow(`"${key}" is not a valid artifact key`);
      expect(() => store.uriOf(key)).toThrow('is not a valid artifact key');
    },
  );

  it('accepts keys of letters, digits, . _ @ - and tidies extra slashes', async () => {
    expect(store.uriOf('/datasets//v1.2_x@y-z/')).toBe(store.uriOf('datasets/v1.2_x@y-z'));
    expect(store.uriOf('..hidden')).toBe(`${store.rootUri}/..hidden`);
    const uri = await store.putFolder(await writeTree(join(root, 'src'), { f: 'x' }), '..hidden');
    expect(await readTree(await store.fetchFolder(uri, cache))).toEqual(asBytes({ f: 'x' }));
  });

  it('fails to fetch a folder that was never put, naming it', async () => {
    const uri = store.uriOf('datasets/missing');
    await expect(store.fetchFolder(uri, cache)).rejects.toThrow(`artifact ${uri} does not exist`);
  });

  it('refuses URIs outside the store', async () => {
    const outside = [`${store.rootUri}`, `${store.rootUri}-other/x`, 'file:///elsewhere/x', 's3://another-bucket/x', 'https://example.com/x'];
    for (const uri of outside) {
      await expect(store.fetchFolder(uri, cache), uri).rejects.toThrow(/is (not in|outside) this store/);
      await expect(store.removeFolder(uri), uri).rejects.toThrow(/is (not in|outside) this store/);
    }
  });

  it('removes a folder, and removing it again is no error', async () => {
    const keep = await store.putFolder(await writeTree(join(root, 'k'), { f: 'keep' }), 'd/keep');
    const uri = await store.putFolder(await writeTree(join(root, 'src'), dataset), 'd/gone');
    await store.removeFolder(uri);
    await expect(store.fetchFolder(uri, cache)).rejects.toThrow('does not exist');
    await store.removeFolder(uri);
    expect(await readTree(await store.fetchFolder(keep, cache))).toEqual(asBytes({ f: 'keep' }));
  });
});

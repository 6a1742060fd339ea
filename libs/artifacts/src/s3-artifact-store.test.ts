import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asBytes, readTree, tempDir, writeTree } from '../test/folders.js';
import { startS3Server, type S3Server } from '../test/s3-server.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

// How fetchFolder keeps its cache, against a real S3-compatible server.
let s3: S3Server;
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  s3 = await startS3Server();
  work = await tempDir();
});
afterAll(async () => {
  await s3?.close();
  await work?.remove();
});

const model = { 'model.onnx': Buffer.alloc(256 * 1024, 7), 'config.json': '{"layers":2}', 'tok/vocab.txt': 'a\nb\n' };

it('stores a folder under the prefix and copies it into the cache by key', async () => {
  const store = new S3ArtifactStore(s3.bucket, 'team/ttt', s3);
  expect(store.rootUri).toBe(`s3://${s3.bucket}/team/ttt`);
  const uri = await store.putFolder(await writeTree(join(work.path, 'm0'), model), 'models/vc/1');
  expect(uri).toBe(`s3://${s3.bucket}/team/ttt/models/vc/1`);
  const cache = join(work.path, 'cache0');
  const local = await store.fetchFolder(uri, cache);
  expect(local).toBe(join(cache, 'team', 'ttt', 'models', 'vc', '1'));
  expect(await readTree(local)).toEqual(asBytes(model));
});

it('works at the bucket root, with no prefix', async () => {
  const store = new S3ArtifactStore(s3.bucket, '', s3);
  const uri = await store.putFolder(await writeTree(join(work.path, 'm1'), model), 'rootless');
  expect(uri).toBe(`s3://${s3.bucket}/rootless`);
  expect(await readTree(await store.fetchFolder(uri, join(work.path, 'cache1')))).toEqual(asBytes(model));
});

it('keeps complete files on a second fetch and fetches again what is damaged or changed', async () => {
  const store = new S3ArtifactStore(s3.bucket, 'cache-test', s3);
  const uri = await store.putFolder(await writeTree(join(work.path, 'm2'), model), 'models/m');
  const cache = join(work.path, 'cache2');
  const local = await store.fetchFolder(uri, cache);
  const inode = async (name: string) => (await stat(join(local, name))).ino;
  const before = { onnx: await inode('model.onnx'), vocab: await inode('tok/vocab.txt') };

  await truncate(join(local, 'config.json'), 3);
  await writeFile(join(local, 'leftover.tmp'), 'not part of the artifact');
  expect(await store.fetchFolder(uri, cache)).toBe(local);
  // Downloads are written elsewhere and moved in, so an untouched inode means no download.
  expect(await inode('model.onnx')).toBe(before.onnx);
  expect(await inode('tok/vocab.txt')).toBe(before.vocab);
  expect(await readTree(local)).toEqual(asBytes(model));

  // Same size, new bytes, in the same second: only the ETag tells them apart.
  const v2 = { ...model, 'config.json': '{"layers":3}' };
  await store.putFolder(await writeTree(join(work.path, 'm2b'), v2), 'models/m');
  await store.fetchFolder(uri, cache);
  expect(await readFile(join(local, 'config.json'), 'utf8')).toBe('{"layers":3}');
  expect(await inode('model.onnx')).toBe(before.onnx);
});

it('fails on an access key the server does not know', async () => {
  const store = new S3ArtifactStore(s3.bucket, 'p', { ...s3, accessKeyId: 'NOBODY' });
  await expect(store.putFolder(await writeTree(join(work.path, 'm3'), model), 'x')).rejects.toThrow(/Access Key Id/);
});

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asBytes, readTree, tempDir, writeTree } from '../test/folders.js';
import { startS3Server, type S3Server } from '../test/s3-server.js';
import { defaultArtifactRoot } from './default-artifact-root.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { openArtifactStore } from './open-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

let s3: S3Server;
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  s3 = await startS3Server('opened');
  work = await tempDir();
});
afterAll(async () => {
  await s3?.close();
  await work?.remove();
});

it('opens a local folder from a file: URL', async () => {
  const url = pathToFileURL(join(work.path, 'store')).href;
  const store = openArtifactStore(url);
  expect(store).toBeInstanceOf(LocalArtifactStore);
  expect(store.rootUri).toBe(url);
  const uri = await store.putFolder(await writeTree(join(work.path, 'src'), { f: 'x' }), 'k');
  expect(await readTree(await store.fetchFolder(uri, work.path))).toEqual(asBytes({ f: 'x' }));
});

it('opens the checkout folder .artifacts when no URL is given', () => {
  expect(openArtifactStore(undefined).rootUri).toBe(pathToFileURL(defaultArtifactRoot()).href);
  expect(openArtifactStore('').rootUri).toBe(pathToFileURL(defaultArtifactRoot()).href);
});

it.each([
  ['s3://bucket', 's3://bucket'],
  ['s3://bucket/', 's3://bucket'],
  ['s3://bucket/prefix', 's3://bucket/prefix'],
  ['s3://bucket/team/ttt/', 's3://bucket/team/ttt'],
])('opens %s as an S3 store rooted at %s', (url, root) => {
  const store = openArtifactStore(url);
  expect(store).toBeInstanceOf(S3ArtifactStore);
  expect(store.rootUri).toBe(root);
});

it('talks to the S3-compatible server it is given', async () => {
  const store = openArtifactStore(`s3://${s3.bucket}/via-url`, s3);
  const uri = await store.putFolder(await writeTree(join(work.path, 's3src'), { 'a/b': 'y' }), 'k');
  expect(uri).toBe(`s3://${s3.bucket}/via-url/k`);
  expect(await readTree(await store.fetchFolder(uri, join(work.path, 'cache')))).toEqual(asBytes({ 'a/b': 'y' }));
});

it('refuses an s3 URL without a bucket', () => {
  expect(() => openArtifactStore('s3:///prefix')).toThrow('artifact store URL s3:///prefix names no bucket');
});

it.each(['gs://bucket/x', 'https://example.com/artifacts', '/var/lib/artifacts', 'artifacts', 'S3://bucket'])(
  'refuses %s, saying which forms it takes',
  (url) => {
    expect(() => openArtifactStore(url)).toThrow(`artifact store URL ${url} is neither file:///<folder> nor s3://<bucket>/<prefix>`);
  },
);

import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from './artifact-store.js';
import { defaultArtifactRoot } from './default-artifact-root.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { S3ArtifactStore, type S3Options } from './s3-artifact-store.js';

/**
 * The store a URL names: `file:///abs/folder`, or `s3://bucket[/prefix]` for AWS S3 or any
 * S3-compatible server (MinIO, R2, Ceph) given by `s3.endpoint`.
 */
export function openArtifactStore(url: string | undefined, s3: S3Options = {}): ArtifactStore {
  if (!url) return new LocalArtifactStore(defaultArtifactRoot());
  if (url.startsWith('file:')) return new LocalArtifactStore(fileURLToPath(url));
  if (url.startsWith('s3://')) {
    const { host: bucket, pathname } = new URL(url);
    if (!bucket) throw new Error(`artifact store URL ${url} names no bucket`);
    return new S3ArtifactStore(bucket, pathname.replace(/^\/+|\/+$/g, ''), s3);
  }
  throw new Error(`artifact store URL ${url} is neither file:///<folder> nor s3://<bucket>/<prefix>`);
}

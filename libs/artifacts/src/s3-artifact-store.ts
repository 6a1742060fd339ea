import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { checkArtifactKey } from './artifact-key.js';
import type { ArtifactStore } from './artifact-store.js';

export interface S3Options {
  /** An S3-compatible server's URL (MinIO, R2...); unset means AWS. */
  endpoint?: string;
  region?: string;
  /** Credentials; unset means the SDK's usual chain (env, profile, pod identity). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** A bucket (and prefix) on S3 or any server that speaks its API. */
export class S3ArtifactStore implements ArtifactStore {
  readonly rootUri: string;
  private readonly client: S3Client;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    options: S3Options,
  ) {
    this.rootUri = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint
        ? {
            endpoint: options.endpoint,
            forcePathStyle: true,
            // Since 3.729 the SDK sends CRC checksums on every upload, streaming ones as
            // aws-chunked bodies with a trailer. Many S3-compatible servers (older MinIO and Ceph,
            // R2, GCS, s3rver) reject those or store the chunk framing as the object's bytes, so
            // checksums are sent only where the API demands one. AWS keeps the defaults.
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
            responseChecksumValidation: 'WHEN_REQUIRED' as const,
          }
        : {}),
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
  }

  uriOf(key: string): string {
    return `${this.rootUri}/${checkArtifactKey(key)}`;
  }

  async putFolder(localDir: string, key: string): Promise<string> {
    const base = this.objectKey(checkArtifactKey(key));
    const files = await listFiles(localDir);
    const keyOfFile = (file: string) => `${base}/${relative(localDir, file).split('\\').join('/')}`;
    for (const file of files) {
      const info = await stat(file);
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: keyOfFile(file), Body: createReadStream(file), ContentLength: info.size }),
      );
    }
    // Objects a previous upload left that this folder no longer has.
    const keep = new Set(files.map(keyOfFile));
    await this.deleteObjects((await this.list(base)).filter((o) => !keep.has(o.Key!)));
    return this.uriOf(key);
  }

  async fetchFolder(uri: string, cacheDir: string): Promise<string> {
    const base = this.keyOf(uri);
    const objects = await this.list(base);
    if (objects.length === 0) throw new Error(`artifact ${uri} does not exist`);
    const target = join(cacheDir, base);
    // Beside the copies, in folders no key can name ('~' is not allowed in one): downloads in
    // progress, moved in whole so the copy only ever holds complete files; and the ETag each
    // file had, since a file replaced by one of the same size within a second differs in nothing
    // else a listing shows.
    const partials = join(cacheDir, '~partial');
    const etagsFile = join(cacheDir, '~etags', `${base}.json`);
    const etags = new Map<string, string | undefined>(
      await readFile(etagsFile, 'utf8').then((text) => Object.entries(JSON.parse(text)), () => []),
    );
    const wanted = new Set<string>();
    for (const object of objects) {
      const name = object.Key!.slice(base.length + 1);
      // Folder markers some tools create; and names that would land outside the cache.
      if (name === '' || name.endsWith('/')) continue;
      if (name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
        throw new Error(`artifact ${uri} holds an object named ${object.Key} that cannot be a file`);
      }
      const local = join(target, name);
      wanted.add(name);
      const have = await stat(local).catch(() => null);
      if (have?.isFile() && have.size === object.Size && etags.get(name) === object.ETag) continue;
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: object.Key! }));
      const partial = join(partials, randomUUID());
      await mkdir(partials, { recursive: true });
      try {
        await pipeline(answer.Body as Readable, createWriteStream(partial));
        await mkdir(dirname(local), { recursive: true });
        await rename(partial, local);
      } finally {
        await rm(partial, { force: true });
      }
      // Recorded file by file, so a fetch cut short resumes where it stopped.
      etags.set(name, object.ETag);
      await mkdir(dirname(etagsFile), { recursive: true });
      await writeFile(etagsFile, JSON.stringify(Object.fromEntries(etags)));
    }
    // Files the folder no longer has (it was replaced since the last fetch) would otherwise be
    // read as part of it.
    for (const file of await listFiles(target)) {
      const name = relative(target, file).split('\\').join('/');
      if (!wanted.has(name)) await rm(file, { force: true });
    }
    return target;
  }

  async removeFolder(uri: string): Promise<void> {
    await this.deleteObjects(await this.list(this.keyOf(uri)));
  }

  private objectKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private keyOf(uri: string): string {
    if (!uri.startsWith(`${this.rootUri}/`)) throw new Error(`artifact ${uri} is not in this store (${this.rootUri})`);
    return this.objectKey(checkArtifactKey(uri.slice(this.rootUri.length + 1)));
  }

  private async list(base: string): Promise<_Object[]> {
    const objects: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${base}/`, ContinuationToken: token }),
      );
      objects.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  private async deleteObjects(objects: _Object[]): Promise<void> {
    for (let i = 0; i < objects.length; i += 1000) {
      const answer = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects.slice(i, i + 1000).map((o) => ({ Key: o.Key! })) } }),
      );
      // DeleteObjects answers 200 even when some keys could not be deleted.
      const failed = answer.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`could not delete ${failed.length} objects from ${this.rootUri}, e.g. ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message}`);
      }
    }
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkArtifactKey } from './artifact-key.js';
import type { ArtifactStore } from './artifact-store.js';

/** A folder on this machine (or a volume every pod mounts). */
export class LocalArtifactStore implements ArtifactStore {
  readonly rootUri: string;

  constructor(private readonly root: string) {
    this.rootUri = pathToFileURL(resolve(root)).href;
  }

  uriOf(key: string): string {
    return pathToFileURL(join(resolve(this.root), checkArtifactKey(key))).href;
  }

  async putFolder(localDir: string, key: string): Promise<string> {
    const target = join(resolve(this.root), checkArtifactKey(key));
    // Copy beside the target, then swap it in, so a reader never sees half a folder.
    const staging = `${target}.incoming-${process.pid}-${Date.now()}`;
    await mkdir(dirname(target), { recursive: true });
    try {
      await cp(localDir, staging, { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    } finally {
      // A failed copy must not leave a half folder inside the store.
      await rm(staging, { recursive: true, force: true });
    }
    return pathToFileURL(target).href;
  }

  async fetchFolder(uri: string): Promise<string> {
    const path = this.pathOf(uri);
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory()) throw new Error(`artifact ${uri} does not exist`);
    return path;
  }

  async removeFolder(uri: string): Promise<void> {
    await rm(this.pathOf(uri), { recursive: true, force: true });
  }

  private pathOf(uri: string): string {
    if (!uri.startsWith('file:')) throw new Error(`artifact ${uri} is not in this store (${this.rootUri})`);
    const path = fileURLToPath(uri);
    const inside = relative(resolve(this.root), path);
    // `..name` is a valid key, so only a whole `..` segment means outside.
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new Error(`artifact ${uri} is outside this store (${this.rootUri})`);
    }
    return path;
  }
}

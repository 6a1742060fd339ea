import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Without ARTIFACT_STORE_URL, a checkout keeps artifacts in `.artifacts` at its root (the folder
 * with nx.json), whichever package folder a service was started from. Elsewhere (an image, a
 * pod) there is no such root and the variable must be set.
 */
export function defaultArtifactRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, '.artifacts');
    if (dirname(dir) === dir) {
      throw new Error('ARTIFACT_STORE_URL is not set and no project checkout was found above the working folder: set it to file:///<folder> or s3://<bucket>/<prefix>');
    }
  }
}

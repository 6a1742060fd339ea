/**
 * Where datasets and models live between services. Kubernetes pods share no disk, so producers
 * upload a finished folder and consumers fetch it; on one machine the store is a local folder.
 */
export interface ArtifactStore {
  /** The store's root, e.g. `file:///var/lib/ttt/artifacts` or `s3://bucket/prefix`. */
  readonly rootUri: string;
  /** The URI a folder stored under `key` will have. */
  uriOf(key: string): string;
  /** Copies every file of a local folder under `key`, replacing what was there; returns its URI. */
  putFolder(localDir: string, key: string): Promise<string>;
  /**
   * A local folder holding the files stored at `uri`: the store's own folder when it is local,
   * otherwise a copy under `cacheDir`: files already fetched that still have the stored object's
   * size and ETag are kept, files the folder no longer holds are removed.
   */
  fetchFolder(uri: string, cacheDir: string): Promise<string>;
  /** Removes the folder at `uri`, if any. */
  removeFolder(uri: string): Promise<void>;
}

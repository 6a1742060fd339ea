import type { ArtifactEnv } from '@ttt/config';
import { openArtifactStore } from './open-artifact-store.js';

/** Injection token of the service's ArtifactStore. */
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

/** A Nest provider of the store the environment names. */
export function artifactStoreProvider(config: ArtifactEnv) {
  return { provide: ARTIFACT_STORE, useFactory: () => artifactStoreFromEnv(config) };
}

export function artifactStoreFromEnv(config: ArtifactEnv) {
  return openArtifactStore(config.ARTIFACT_STORE_URL, {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  });
}

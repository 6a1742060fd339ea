import { openArtifactStore } from '@ttt/artifacts';
import type { ArtifactEnv } from '@ttt/config';

export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

export function artifactStoreProvider(config: ArtifactEnv) {
  return {
    provide: ARTIFACT_STORE,
    useFactory: () =>
      openArtifactStore(config.ARTIFACT_STORE_URL, {
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      }),
  };
}

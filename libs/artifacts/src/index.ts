export type { ArtifactStore } from './artifact-store.js';
export { LocalArtifactStore } from './local-artifact-store.js';
export { S3ArtifactStore, type S3Options } from './s3-artifact-store.js';
export { openArtifactStore } from './open-artifact-store.js';
export { defaultArtifactRoot } from './default-artifact-root.js';
export { ARTIFACT_STORE, artifactStoreProvider, artifactStoreFromEnv } from './artifact-store.provider.js';

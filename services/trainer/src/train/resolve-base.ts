import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import type { JobPayload, QueueName } from '@ttt/contracts';
import type { ModelVersionRepository } from '@ttt/db';
import { scratchConfig } from './scratch-presets.js';
import { TrainInputError } from './train-input-error.js';

type Base = JobPayload<typeof QueueName.train>['base'];

export interface BaseDeps {
  repo: ModelVersionRepository;
  store: ArtifactStore;
  /**
   * Local folders a job may start from: only those under this one (null: none, artifact URIs
   * only). A job can come from the admin API; it must not read any folder the worker can.
   */
  weightsRoot: string | null;
}

/** What the runtime starts from, and the version it fine-tunes (if any). */
export async function resolveBase(deps: BaseDeps, base: Base, cacheDir: string): Promise<{ init: object; parentId: number | null }> {
  switch (base.kind) {
    case 'scratch':
      return { init: { kind: 'scratch', config: scratchConfig(base.config) }, parentId: null };
    case 'hub':
      return { init: { kind: 'hub', name: base.name }, parentId: null };
    case 'weights': {
      if (/^(file|s3):/.test(base.location)) return { init: { kind: 'weights', path: await fetchWeights(deps.store, base.location, cacheDir) }, parentId: null };
      if (deps.weightsRoot === null || !isAbsolute(base.location) || relative(resolve(deps.weightsRoot), resolve(base.location)).startsWith('..')) {
        throw new TrainInputError(
          `weights folder ${base.location} is not accepted: give an artifact URI (file:// in the store, or s3://), or a folder under TRAINER_WEIGHTS_DIR${deps.weightsRoot ? ` (${deps.weightsRoot})` : ', which is not set'}`,
        );
      }
      if (!existsSync(join(base.location, 'config.json'))) {
        throw new TrainInputError(`weights folder ${base.location} has no config.json (give an absolute folder or an artifact URI)`);
      }
      return { init: { kind: 'weights', path: base.location }, parentId: null };
    }
    case 'version': {
      const parent = await deps.repo.find(base.modelVersionId);
      if (!parent) throw new TrainInputError(`model version ${base.modelVersionId} does not exist`);
      if (!parent.artifactUri || !['ready', 'active', 'retired'].includes(parent.status)) {
        throw new TrainInputError(`model version ${base.modelVersionId} is ${parent.status}: only a finished version can be fine-tuned`);
      }
      return { init: { kind: 'weights', path: await fetchWeights(deps.store, parent.artifactUri, cacheDir) }, parentId: parent.id };
    }
  }
}


/** A missing or foreign artifact will not appear by retrying: an input error. */
async function fetchWeights(store: ArtifactStore, uri: string, cacheDir: string): Promise<string> {
  try {
    return await store.fetchFolder(uri, cacheDir);
  } catch (error) {
    throw new TrainInputError(`weights ${uri}: ${(error as Error).message}`);
  }
}

import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import type { JobPayload, QueueName } from '@ttt/contracts';
import type { ModelVersionRepository } from '@ttt/db';
import { scratchConfig, TrainInputError } from './scratch-presets.js';

type Base = JobPayload<typeof QueueName.train>['base'];

/** What the runtime starts from, and the version it fine-tunes (if any). */
export async function resolveBase(deps: { repo: ModelVersionRepository; store: ArtifactStore }, base: Base, cacheDir: string): Promise<{ init: object; parentId: number | null }> {
  switch (base.kind) {
    case 'scratch':
      return { init: { kind: 'scratch', config: scratchConfig(base.config) }, parentId: null };
    case 'hub':
      return { init: { kind: 'hub', name: base.name }, parentId: null };
    case 'weights': {
      if (/^(file|s3):/.test(base.location)) return { init: { kind: 'weights', path: await deps.store.fetchFolder(base.location, cacheDir) }, parentId: null };
      if (!isAbsolute(base.location) || !existsSync(join(base.location, 'config.json'))) {
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
      return { init: { kind: 'weights', path: await deps.store.fetchFolder(parent.artifactUri, cacheDir) }, parentId: parent.id };
    }
  }
}


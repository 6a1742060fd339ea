import type { Provider } from '@nestjs/common';
import { ARTIFACT_STORE, type ArtifactStore } from '@ttt/artifacts';
import { PG_POOL } from '@ttt/db';
import type pg from 'pg';
import type { Config } from '../config.js';
import { EvaluateProcessor } from '../evaluate/evaluate.processor.js';
import { CorpusCache } from './corpus-cache.js';
import { GenerateProcessor } from './generate.processor.js';
import { PoolKeeper } from './pool-keeper.js';
import { PoolRepository } from './pool.repository.js';

/** The game's pool and model evaluation: run wherever models are loaded. */
export function poolProviders(config: Config): Provider[] {
  return [
    { provide: PoolRepository, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new PoolRepository(pool) },
    {
      provide: CorpusCache,
      inject: [PoolRepository, ARTIFACT_STORE],
      useFactory: (repo: PoolRepository, store: ArtifactStore) => new CorpusCache(repo, store, config.INFERENCE_CACHE_DIR),
    },
    PoolKeeper,
    GenerateProcessor,
    EvaluateProcessor,
  ];
}

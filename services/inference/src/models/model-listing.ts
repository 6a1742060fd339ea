import type { CatalogRow } from './model-catalog.repository.js';
import { modelName } from './model-name.js';

export interface VersionListing {
  name: string;
  model_version_id: number;
  version: number;
  status: CatalogRow['status'];
  active: boolean;
  created_at: string;
  activated_at: string | null;
  dataset_ids: number[];
  /** The trainer's figures (losses, parameters) and, once evaluated, `evaluation`: distinct-n, memorization, detector accuracy. */
  metrics: Record<string, unknown> | null;
}

export interface ModelListing {
  name: string;
  category: string;
  active_version: number | null;
  versions: VersionListing[];
}

/** Catalog rows grouped per category model, versions in order. */
export function listModels(rows: CatalogRow[]): ModelListing[] {
  const byCategory = new Map<string, ModelListing>();
  for (const row of rows) {
    let model = byCategory.get(row.category);
    if (!model) {
      model = { name: modelName(row.category), category: row.category, active_version: null, versions: [] };
      byCategory.set(row.category, model);
    }
    if (row.status === 'active') model.active_version = row.version;
    model.versions.push({
      name: modelName(row.category, row.version),
      model_version_id: row.id,
      version: row.version,
      status: row.status,
      active: row.status === 'active',
      created_at: row.createdAt.toISOString(),
      activated_at: row.activatedAt?.toISOString() ?? null,
      dataset_ids: row.datasetIds,
      metrics: row.metrics,
    });
  }
  return [...byCategory.values()];
}

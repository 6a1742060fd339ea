import { join } from 'node:path';
import type { ArtifactStore } from '@ttt/artifacts';
import { END_OF_TEXT_ID } from '@ttt/tokenizer';
import { ContinuousBatcher } from '../engine/continuous-batcher.js';
import { Gpt2Onnx } from '../engine/gpt2-onnx.js';
import type { Precision } from '../engine/precision.js';
import type { InferenceMetrics } from '../metrics/inference-metrics.js';
import type { LoadedModel } from './loaded-model.js';
import type { CatalogRow, ModelCatalogRepository } from './model-catalog.repository.js';
import { modelName, parseModelName } from './model-name.js';
import { ModelUnavailableError } from './model-unavailable-error.js';
import { UnknownModelError } from './unknown-model-error.js';

export interface RegistryOptions {
  precision: Precision;
  threads: number;
  maxBatch: number;
  maxQueue: number;
  cacheDir: string;
  /** Versions kept in memory besides the active ones (asked for by `@version`, the pool, evaluation). */
  maxPinned: number;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * Which model version serves each category, loaded and swapped without dropping a request: a
 * new active version is loaded and warmed in the background, then the category points at it in
 * one assignment; the old one finishes the sequences it holds before it is released.
 */
export class ModelRegistry {
  private readonly active = new Map<string, LoadedModel>();
  private readonly loaded = new Map<number, Promise<LoadedModel>>();
  private refreshing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly catalog: ModelCatalogRepository,
    private readonly store: ArtifactStore,
    private readonly metrics: InferenceMetrics | null,
    private readonly options: RegistryOptions,
  ) {}

  /** Brings the active versions in line with Postgres; calls queue behind each other. */
  refresh(): Promise<void> {
    const run = this.refreshing.then(() => this.syncActive());
    this.refreshing = run.catch(() => {});
    return run;
  }

  /** The model a request names: the category's active version, or a pinned `@version`. */
  async resolve(name: string): Promise<LoadedModel> {
    const ref = parseModelName(name);
    if (!ref) throw new UnknownModelError(`"${name}" is not a model name: expected gpt2-twitter-<category> or gpt2-twitter-<category>@<version>`);
    if (ref.version === null) {
      const model = this.active.get(ref.category);
      if (model) return touch(model);
      if (!(await this.catalog.categoryExists(ref.category))) throw new UnknownModelError(`no category "${ref.category}"; GET /v1/models lists the models`);
      const row = (await this.catalog.active()).find((r) => r.category === ref.category);
      if (!row) throw new UnknownModelError(`category "${ref.category}" has no active model version yet`);
      // Active in Postgres but not loaded here yet (just activated, or this process just started).
      void this.refresh().catch(() => {});
      throw new ModelUnavailableError(`${name} (version ${row.version}) is still loading`, 2);
    }
    const row = await this.catalog.byVersion(ref.category, ref.version);
    if (!row) throw new UnknownModelError(`${name}: category "${ref.category}" has no version ${ref.version}`);
    if (!['ready', 'active', 'retired'].includes(row.status) || !row.artifactUri) throw new UnknownModelError(`${name} is ${row.status}, not servable`);
    return touch(await this.load(row));
  }

  /** The loaded model of a version id (the pool and evaluation jobs). */
  async byId(id: number): Promise<LoadedModel> {
    for (const model of this.active.values()) if (model.row.id === id) return touch(model);
    const row = await this.catalog.byId(id);
    if (!row) throw new UnknownModelError(`model version ${id} does not exist`);
    if (!['ready', 'active', 'retired'].includes(row.status) || !row.artifactUri) throw new UnknownModelError(`model version ${id} is ${row.status}, not servable`);
    return touch(await this.load(row));
  }

  activeModels(): LoadedModel[] {
    return [...this.active.values()];
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.refreshing;
    const all = await Promise.allSettled(this.loaded.values());
    this.loaded.clear();
    this.active.clear();
    await Promise.allSettled(all.map((r) => (r.status === 'fulfilled' ? r.value.batcher.drain() : null)));
  }

  private async syncActive(): Promise<void> {
    if (this.closed) return;
    const rows = await this.catalog.active();
    const wanted = new Map(rows.filter((r) => r.artifactUri).map((r) => [r.category, r]));
    await Promise.all(
      [...wanted.values()].map(async (row) => {
        const current = this.active.get(row.category);
        if (current?.row.id === row.id) {
          current.row = row;
          return;
        }
        try {
          const next = await this.load(row);
          this.active.set(row.category, next);
          this.options.log({ msg: 'model active', model: next.name, previous: current?.name ?? null });
          if (current) this.unload(current.row.id);
        } catch (error) {
          // Keep serving the old version: a broken upload must not take a category down.
          this.options.log({ msg: 'model load failed', category: row.category, modelVersionId: row.id, error: (error as Error).message });
        }
      }),
    );
    for (const [category, model] of this.active) {
      if (!wanted.has(category)) {
        this.active.delete(category);
        this.options.log({ msg: 'model retired', model: model.name });
        this.unload(model.row.id);
      }
    }
    this.evictPinned();
  }

  private load(row: CatalogRow): Promise<LoadedModel> {
    let loading = this.loaded.get(row.id);
    if (!loading) {
      loading = this.open(row);
      this.loaded.set(row.id, loading);
      loading.catch(() => this.loaded.delete(row.id));
    }
    return loading;
  }

  private async open(row: CatalogRow): Promise<LoadedModel> {
    const started = Date.now();
    const dir = await this.store.fetchFolder(row.artifactUri!, join(this.options.cacheDir, `v${row.id}`));
    const onnx = await Gpt2Onnx.load(dir, { precision: this.options.precision, threads: this.options.threads });
    const name = modelName(row.category, row.version);
    const batcher = new ContinuousBatcher(onnx, {
      name,
      maxBatch: this.options.maxBatch,
      maxQueue: this.options.maxQueue,
      observer: this.metrics?.observerFor(modelName(row.category)),
    });
    // The first run allocates onnxruntime's buffers; do it before a player waits on it.
    await batcher.submit([END_OF_TEXT_ID], { maxNewTokens: 2, minLength: 0, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 });
    this.options.log({ msg: 'model loaded', model: name, precision: this.options.precision, seconds: (Date.now() - started) / 1000 });
    return { row, name, batcher, lastUsed: Date.now() };
  }

  /** Drops a version from memory once its running sequences are done. */
  private unload(id: number): void {
    const loading = this.loaded.get(id);
    if (!loading) return;
    this.loaded.delete(id);
    void loading.then((m) => m.batcher.drain()).catch(() => {});
  }

  private evictPinned(): void {
    const activeIds = new Set([...this.active.values()].map((m) => m.row.id));
    const pinned: LoadedModel[] = [];
    for (const [id, loading] of this.loaded) {
      if (activeIds.has(id)) continue;
      void loading.then((m) => pinned.push(m)).catch(() => {});
    }
    // Settled promises resolve in a microtask; decide on the next turn.
    setImmediate(() => {
      pinned.sort((a, b) => a.lastUsed - b.lastUsed);
      for (const m of pinned.slice(0, Math.max(0, pinned.length - this.options.maxPinned))) if (m.batcher.load === 0) this.unload(m.row.id);
    });
  }
}

function touch(model: LoadedModel): LoadedModel {
  model.lastUsed = Date.now();
  return model;
}

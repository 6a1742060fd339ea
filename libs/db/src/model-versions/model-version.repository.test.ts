import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelVersionRepository } from './model-version.repository.js';

describe('model versions', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let repo: ModelVersionRepository;
  let vc: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    repo = new ModelVersionRepository(pool);
    vc = (await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('vc', 'VC', now()) RETURNING id`)).rows[0].id;
    await pool.query(`INSERT INTO datasets (category_id, status, filters, val_fraction) VALUES ($1, 'ready', '{}', 0.05)`, [vc]);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const create = (categoryId: number | null) => repo.create({ categoryId, base: { kind: 'scratch' }, parentId: null, hyperparameters: {}, datasetIds: [1] });

  it('numbers versions per category, base models apart, even when created at once', async () => {
    const made = await Promise.all([create(vc), create(vc), create(vc), create(null), create(null)]);
    expect(made.filter((v) => v.categoryId === vc).map((v) => v.version).sort()).toEqual([1, 2, 3]);
    expect(made.filter((v) => v.categoryId === null).map((v) => v.version).sort()).toEqual([1, 2]);
  });

  it('keeps exactly one active version per category, even under concurrent activations', async () => {
    const versions = (await repo.list()).filter((v) => v.categoryId === vc);
    for (const v of versions) await repo.markReady(v.id, `file:///models/${v.id}`, {});
    await Promise.all(versions.map((v) => repo.activate(v.id)));
    const active = (await repo.list()).filter((v) => v.status === 'active');
    expect(active).toHaveLength(1);
    const next = versions.find((v) => v.id !== active[0]!.id)!;
    await repo.activate(next.id);
    expect((await repo.list()).filter((v) => v.status === 'active').map((v) => v.id)).toEqual([next.id]);
  });

  it('refuses to activate a base model, an unfinished one, or one that does not exist', async () => {
    const base = (await repo.list()).find((v) => v.categoryId === null)!;
    await expect(repo.activate(base.id)).rejects.toThrow(/base model/);
    const training = await create(vc);
    await expect(repo.activate(training.id)).rejects.toThrow(/is training, not ready/);
    await expect(repo.activate(424242)).rejects.toThrow('model version 424242 does not exist');
  });
});

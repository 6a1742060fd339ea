import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelVersionRepository, ModelVersionRow } from '@ttt/db';

/**
 * The run's version: the one an earlier attempt of the same run registered (`done` when that
 * attempt got as far as publishing it), else a new one. A retry never registers a second version.
 */
export async function runVersion(
  repo: ModelVersionRepository,
  runDir: string,
  input: Parameters<ModelVersionRepository['create']>[0],
): Promise<{ version: ModelVersionRow; done: boolean }> {
  const stateFile = join(runDir, 'version.json');
  if (existsSync(stateFile)) {
    const { modelVersionId } = JSON.parse(await readFile(stateFile, 'utf8')) as { modelVersionId: number };
    const earlier = await repo.find(modelVersionId);
    if (earlier && ['ready', 'active', 'retired'].includes(earlier.status)) return { version: earlier, done: true };
    if (earlier) {
      await repo.markTraining(earlier.id);
      return { version: earlier, done: false };
    }
  }
  const created = await repo.create(input);
  await writeFile(stateFile, JSON.stringify({ modelVersionId: created.id }));
  return { version: created, done: false };
}

/** The version a run folder registered, if any. */
export async function runVersionId(runDir: string): Promise<number | null> {
  const stateFile = join(runDir, 'version.json');
  if (!existsSync(stateFile)) return null;
  return (JSON.parse(await readFile(stateFile, 'utf8')) as { modelVersionId: number }).modelVersionId;
}

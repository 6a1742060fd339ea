import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * TRAINER_WORK_DIR, else `.trainer` at the checkout's root (the folder with nx.json), else a
 * folder under the system's temporary directory (an image without a checkout: set the variable
 * to a persistent volume there, or a killed run cannot resume on another pod).
 */
export function trainerWorkDir(configured: string | undefined, from = process.cwd()): string {
  if (configured) return resolve(configured);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, '.trainer');
    if (dirname(dir) === dir) return join(tmpdir(), 'ttt-trainer');
  }
}

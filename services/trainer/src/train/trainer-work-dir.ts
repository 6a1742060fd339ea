import { dirname, join, resolve } from 'node:path';
import { defaultArtifactRoot } from '@ttt/artifacts';

/** TRAINER_WORK_DIR, or `.trainer` beside the checkout's `.artifacts`. */
export function trainerWorkDir(configured: string | undefined): string {
  return configured ? resolve(configured) : join(dirname(defaultArtifactRoot()), '.trainer');
}

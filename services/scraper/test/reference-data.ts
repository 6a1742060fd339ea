import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The reference tweets beside the project (never inside it); REFERENCE_DATA_DIR overrides. */
export function referenceData(): string {
  const dir = process.env.REFERENCE_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
  if (!existsSync(`${dir}/seed-tweets`)) throw new Error(`reference data not found at ${dir} (set REFERENCE_DATA_DIR)`);
  return dir;
}

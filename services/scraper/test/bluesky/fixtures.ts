import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded responses live outside the repo, in ../shared/fixtures (FIXTURES_DIR overrides). */
const FIXTURES = process.env.FIXTURES_DIR ?? fileURLToPath(new URL('../../../../../shared/fixtures', import.meta.url));

export function blueskyFixture(name: 'f_autfeed.body.json' | 'a_profile.body.json'): string {
  return readFileSync(join(FIXTURES, 'bluesky', name), 'utf8');
}

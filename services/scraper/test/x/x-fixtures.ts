import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The recorded responses live outside the repository (../shared from its root) and are never
// copied in; FIXTURES_DIR points elsewhere when they do.
const dir = process.env.FIXTURES_DIR
  ? join(process.env.FIXTURES_DIR, 'x')
  : fileURLToPath(new URL('../../../../../shared/fixtures/x/', import.meta.url));

/** A recorded X response body, as text. */
export const xFixtureText = (name: 'raw_user_tweets.json' | 'raw_user_by_login.json'): string =>
  readFileSync(join(dir, name), 'utf8');

export const xFixture = (name: 'raw_user_tweets.json' | 'raw_user_by_login.json'): unknown =>
  JSON.parse(xFixtureText(name));

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * .env from .env.example the first time, with secrets of this machine's own (ones from the
 * example would let anyone who read it sign cookies as any player, or use the admin API).
 * Variables already in the environment win over the file.
 */
export function ensureEnvFile() {
  let result = 'skipped: .env exists, left as it is';
  if (!existsSync('.env')) {
    const secret = randomBytes(32).toString('base64url');
    const adminKey = randomBytes(24).toString('hex');
    let text = readFileSync('.env.example', 'utf8').replace(/^GAME_SESSION_SECRET=.*$/m, `GAME_SESSION_SECRET=${secret}`);
    text = /^ADMIN_API_KEYS=/m.test(text) ? text.replace(/^ADMIN_API_KEYS=.*$/m, `ADMIN_API_KEYS=${adminKey}`) : `${text.trimEnd()}\n# Bearer key of the admin API and /admin/queues (there, as the Basic auth password).\nADMIN_API_KEYS=${adminKey}\n`;
    writeFileSync('.env', text, { mode: 0o600 });
    result = 'wrote .env from .env.example, with a new GAME_SESSION_SECRET and admin key';
  }
  process.loadEnvFile('.env');
  return result;
}

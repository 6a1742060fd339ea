import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

/**
 * loadConfig for an entry point: a bad environment ends the process with exit code 78
 * (EX_CONFIG) and the message on stderr, before anything else happens.
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, name?: string): z.output<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name ? `${name}: ` : ''}${error.message}\n`);
    process.exit(78);
  }
}

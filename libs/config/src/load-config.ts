import type { z } from 'zod';
import { ConfigError } from './config-error.js';

/**
 * Validates the environment once, at start, into a typed object. Every problem is reported
 * together so an operator fixes them in one go rather than one restart at a time.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  // Empty strings come from `FOO=` in env files and mean "not set", not "the empty value".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    const given = cleaned[variable];
    const what = given === undefined ? 'is missing' : SECRET_NAME.test(variable) ? 'is set but invalid' : `is "${redact(given)}"`;
    return { variable, message: `${variable} ${what}; expected ${issue.message}` };
  });
  throw new ConfigError(problems);
}

// Variables holding a credential whole: never repeated, not even in part.
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|API_KEYS?$/;

/**
 * A password inside a connection URL never reaches a log: everything between "scheme://user:"
 * and the last "@" is masked, on the raw text, since the values worth reporting are exactly
 * those a URL parser would split in the wrong place.
 */
function redact(value: string): string {
  const at = value.lastIndexOf('@');
  const start = value.indexOf('://');
  if (start === -1 || at < start) return value;
  const credentials = value.slice(start + 3, at);
  const colon = credentials.indexOf(':');
  const user = colon === -1 ? '' : credentials.slice(0, colon);
  return `${value.slice(0, start + 3)}${colon === -1 ? '***' : `${user}:***`}${value.slice(at)}`;
}

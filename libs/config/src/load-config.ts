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
    const what = given === undefined ? 'is missing' : `is "${redact(given)}"`;
    return { variable, message: `${variable} ${what}; expected ${issue.message}` };
  });
  throw new ConfigError(problems);
}

/** A password inside a connection URL never reaches a log. */
function redact(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) {
      url.password = '***';
      return url.toString();
    }
  } catch {
    // Not a URL the parser takes (a password with a bare # or @, a bad port): mask whatever
    // stands between "//user:" and the last "@".
    return value.replace(/(\/\/[^/:@]*:).*@/, '$1***@');
  }
  return value;
}

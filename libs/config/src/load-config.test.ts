import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { baseEnvSchema, portSchema } from './env-schema.js';
import { loadConfig } from './load-config.js';

const schema = baseEnvSchema.extend({ PORT: portSchema(3000), WORKERS: z.coerce.number().int().min(1).default(2) });
const good = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ttt', REDIS_URL: 'redis://127.0.0.1:6379' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.message);
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('turns a good environment into typed values with defaults', () => {
    const config = loadConfig(schema, { ...good, PORT: '8080' });
    expect(config).toMatchObject({ PORT: 8080, WORKERS: 2, LOG_LEVEL: 'log', QUEUE_PREFIX: 'ttt', NODE_ENV: 'development' });
  });

  it('reports every bad variable at once, by name, with what it expects', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://localhost/x', PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is "mysql://localhost/x"; expected a postgres:// or postgresql:// connection URL',
        'REDIS_URL is missing; expected a redis:// or rediss:// URL',
        'PORT is "eighty"; expected a TCP port number',
        expect.stringMatching(/^LOG_LEVEL is "loud"; expected/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('treats an empty variable as missing, so the default applies or the absence is named', () => {
    expect(loadConfig(schema, { ...good, PORT: '' }).PORT).toBe(3000);
    expect(problemsOf({ ...good, REDIS_URL: '' })).toEqual(['REDIS_URL is missing; expected a redis:// or rediss:// URL']);
  });

  it('never repeats a password from a connection URL', () => {
    const [problem] = problemsOf({ ...good, REDIS_URL: 'http://user:s3cret@cache:6379' });
    expect(problem).not.toContain('s3cret');
    expect(problem).toContain('***');
  });

  it('never repeats a password even from a URL too malformed to parse', () => {
    const problems = problemsOf({ ...good, DATABASE_URL: 'postgresql://app:p#ss@w/rd@db:port/ttt', REDIS_URL: 'redis://:s3cr3t@cache:notaport' });
    expect(problems.join('\n')).not.toMatch(/p#ss|w\/rd|s3cr3t/);
    expect(problems).toHaveLength(2);
    for (const url of ['mysql://app:pa@ss#word@db/x', 'mysql://app:p@ss/x@db/x', 'postgresql://us@er:p#w@db:bad/x']) {
      const [problem] = problemsOf({ ...good, DATABASE_URL: url });
      expect(problem, url).not.toMatch(/ss#word|ss\/x|p#w/);
    }
  });

  it('never repeats a secret variable, only says it is invalid', () => {
    const secrets = schema.extend({ S3_SECRET_ACCESS_KEY: z.string().min(41) });
    let problem = '';
    try {
      loadConfig(secrets, { ...good, S3_SECRET_ACCESS_KEY: 'hunter2' });
    } catch (error) {
      problem = (error as ConfigError).problems[0]!.message;
    }
    expect(problem).toMatch(/^S3_SECRET_ACCESS_KEY is set but invalid; expected/);
    expect(problem).not.toContain('hunter2');
  });

  it('rejects ports outside 1-65535', () => {
    expect(problemsOf({ ...good, PORT: '0' })).toEqual(['PORT is "0"; expected a TCP port between 1 and 65535']);
  });
});

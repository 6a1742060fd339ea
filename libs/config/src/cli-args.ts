import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A command's arguments, parsed the way every CLI here does: `--help` prints the usage and
 * exits 0; a wrong argument prints the problem and the usage and exits 2. `fail` does the same
 * for problems found after parsing.
 */
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export interface CliArgs<O extends Options> {
  values: Values<O>;
  positionals: string[];
  fail: (problem: string) => never;
}

export function parseCliArgs<const O extends Options>(usage: string, options: O, argv = process.argv.slice(2)): CliArgs<O> {
  const fail = (problem: string): never => {
    process.stderr.write(`${problem}\n\n${usage}\n`);
    process.exit(2);
  };
  const config = { args: argv, options: { ...options, ...HELP } as O & typeof HELP, allowPositionals: true as const, strict: true as const };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return fail((error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return { values: parsed.values as Values<O>, positionals: parsed.positionals, fail };
}

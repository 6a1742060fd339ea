import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { RouteKey } from './routes.js';

/**
 * Builds the app in a child process (plain Node, the built dist, no listen) and prints the paths
 * its Nest middleware is mounted on. Routers mounted as middleware (an admin board, static
 * files) serve requests but are not in Nest's route table: this is where they show.
 */
const SCRIPT = `
import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
const [appModule, config] = JSON.parse(process.env.FUZZ_MOUNTS_ARGS);
const { AppModule } = await import(appModule);
const { envSchema } = await import(config);
const app = await NestFactory.create(AppModule.forRoot(envSchema.parse(process.env)), { logger: false, abortOnError: false });
await app.init();
const container = app.middlewareContainer;
if (!container || typeof container.getConfigurations !== 'function') throw new Error('this Nest version keeps no middlewareContainer: update mounts.ts');
const out = [];
for (const set of container.getConfigurations().values()) {
  for (const c of set) {
    for (const r of c.forRoutes) {
      const path = typeof r === 'string' ? r : r.path;
      const method = typeof r === 'string' || r.method === undefined ? 'ALL' : RequestMethod[r.method];
      if (path) out.push({ method, path: path.startsWith('/') ? path : '/' + path });
    }
  }
}
process.stdout.write('\\nFUZZ_MOUNTS ' + JSON.stringify(out) + '\\n');
await app.close();
process.exit(0);
`;

/**
 * The paths a Nest app mounts middleware on, from its built `app.module.js` (exporting
 * `AppModule.forRoot(config)`) and `config.js` (exporting `envSchema`). `cwd` is the service's
 * folder (its node_modules resolve), `env` what the app needs to start.
 */
export function nestMiddlewareMounts(options: { cwd: string; appModule: string; config: string; env: Record<string, string>; timeoutMs?: number }): Promise<RouteKey[]> {
  const args = JSON.stringify([pathToFileURL(options.appModule).href, pathToFileURL(options.config).href]);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: options.cwd, env: { ...process.env, LOG_LEVEL: 'fatal', ...options.env, FUZZ_MOUNTS_ARGS: args }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('FUZZ_MOUNTS '));
        if (!line) return reject(new Error(`could not list the app's middleware mounts: ${error?.message ?? ''}\n${stderr}\n${stdout}`.slice(0, 4000)));
        resolve(JSON.parse(line.slice('FUZZ_MOUNTS '.length)) as RouteKey[]);
      },
    );
  });
}

/**
 * Middleware mounts that serve requests of their own and that no fuzz route covers: every mount
 * but the `ignored` ones (middleware that wraps other routes, each with its reason) needs a
 * fuzz route at or under its path.
 */
export function uncoveredMounts(mounts: RouteKey[], fuzzed: RouteKey[], ignored: Record<string, string>): string[] {
  const bare = (p: string) => p.replace(/\/(\{\*\w+\}|\*)$/, '') || '/';
  return [...new Set(mounts.filter((m) => !(m.path in ignored)).map((m) => bare(m.path)))]
    .filter((mount) => !fuzzed.some((r) => r.path === mount || r.path.startsWith(`${mount}/`)))
    .sort();
}

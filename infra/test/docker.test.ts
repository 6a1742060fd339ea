import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnvSchema } from '@ttt/config';
import { envSchema as datasetBuilderEnv } from '@ttt/dataset-builder/src/config.ts';
import { envSchema as gameApiEnv } from '@ttt/game-api/src/config.ts';
import { envSchema as inferenceEnv } from '@ttt/inference/src/config.ts';
import { envSchema as scraperEnv } from '@ttt/scraper/src/config.ts';
import { envSchema as trainerEnv } from '@ttt/trainer/src/config.ts';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { prodClosure, type Lockfile } from '../docker/prod-deps.mjs';

// What can be checked of the images and of docker-compose.yml without a Docker engine: the
// Dockerfiles parsed instruction by instruction, their COPY sources against the repository and
// .dockerignore, the built entry points and every module they import against the production
// dependencies the image installs (infra/docker/prod-deps.mjs), and the compose file's wiring:
// health checks, dependencies, profiles, the GPU reservation, volumes, and each service's
// environment run through that service's own env schema. Needs `npm run build` first (dist/).
// docs/deploy-docker.md.

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerDir = join(root, 'infra/docker');
const at = (...parts: string[]) => join(root, ...parts);
const read = (...parts: string[]) => readFileSync(at(...parts), 'utf8');

const IMAGE_REPO = 'ghcr.io/twitter-turing-test/';
type Schema = z.ZodObject<Record<string, z.ZodType>>;
/** Each service, its env schema and the Dockerfiles of its images. */
const SERVICES: Record<string, { schema: Schema; dockerfiles: Record<string, string> }> = {
  'game-api': { schema: gameApiEnv as unknown as Schema, dockerfiles: { 'game-api.Dockerfile': 'game-api' } },
  inference: { schema: inferenceEnv as unknown as Schema, dockerfiles: { 'inference.Dockerfile': 'inference' } },
  scraper: { schema: scraperEnv as unknown as Schema, dockerfiles: { 'scraper.Dockerfile': 'scraper' } },
  'dataset-builder': { schema: datasetBuilderEnv as unknown as Schema, dockerfiles: { 'dataset-builder.Dockerfile': 'dataset-builder' } },
  trainer: { schema: trainerEnv as unknown as Schema, dockerfiles: { 'trainer.Dockerfile': 'trainer', 'trainer-cuda.Dockerfile': 'trainer:cuda' } },
};
const DOCKERFILES = Object.entries(SERVICES).flatMap(([service, s]) =>
  Object.entries(s.dockerfiles).map(([file, image]) => ({ file, service, image: IMAGE_REPO + image })),
);
const serviceOfDockerfile = (file: string) => DOCKERFILES.find((d) => d.file === posix.basename(file));
const defaultPort = (service: string): number => SERVICES[service].schema.shape.PORT.parse(undefined) as number;

// ---------------------------------------------------------------------------------------------
// Dockerfiles

interface Instruction {
  line: number;
  keyword: string;
  /** The instruction's text after its keyword and flags. */
  args: string;
  flags: Record<string, string | true>;
  /** Exec form (a JSON array), when written so. */
  json?: string[];
}
interface Stage {
  index: number;
  name?: string;
  from: string;
  instructions: Instruction[];
}
interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    // Comments (parser directives included) and blank lines, also inside a continued instruction.
    if (line.startsWith('#') || line === '') return;
    if (!buffer) start = i + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1).trimEnd()} `;
      return;
    }
    buffer += line;
    instructions.push(parseInstruction(buffer, start));
    buffer = '';
  });
  if (buffer) throw new Error(`line ${start}: the file ends inside a continued instruction`);

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image, as, name, ...rest] = ins.args.split(/\s+/);
      if ((as && as.toUpperCase() !== 'AS') || rest.length || (as && !name)) throw new Error(`line ${ins.line}: FROM ${ins.args}`);
      stages.push({ index: stages.length, name, from: substitute(image, globalArgs), instructions: [] });
    } else if (!stages.length) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value = ''] = ins.args.split('=');
      globalArgs[name] = value;
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

function parseInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text)!;
  const keyword = match[1].toUpperCase();
  let rest = match[2];
  const flags: Record<string, string | true> = {};
  // Leading --flags (COPY --from, RUN --mount, HEALTHCHECK --interval, FROM --platform).
  for (let m; (m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest)); rest = rest.slice(m[0].length)) flags[m[1]] = m[2] ?? true;
  let json: string[] | undefined;
  const execForm = keyword === 'HEALTHCHECK' ? /^CMD\s+(\[.*\])$/s.exec(rest)?.[1] : rest.startsWith('[') ? rest : undefined;
  if (execForm) {
    try {
      json = JSON.parse(execForm) as string[];
    } catch {
      if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(keyword)) throw new Error(`line ${line}: ${keyword} is not valid JSON: ${execForm}`);
    }
  }
  return { line, keyword, args: rest, flags, json };
}

const substitute = (text: string, vars: Record<string, string>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? '');

/** KEY=value pairs of an ENV instruction (and the legacy `ENV KEY value`). */
function envPairs(args: string): Record<string, string> {
  if (!/^\w+=/.test(args)) {
    const [key, ...value] = args.split(/\s+/);
    return { [key]: value.join(' ') };
  }
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/s, '$2');
  return out;
}

/** The stage a container runs (the last), with what it inherits from earlier stages of the file. */
function finalStage(df: Dockerfile): { stage: Stage; instructions: Instruction[] } {
  const chain: Stage[] = [];
  for (let stage: Stage | undefined = df.stages.at(-1); stage; stage = df.stages.find((s) => s.name === stage!.from)) chain.unshift(stage);
  return { stage: df.stages.at(-1)!, instructions: chain.flatMap((s) => s.instructions) };
}

const last = (instructions: Instruction[], keyword: string) => instructions.filter((i) => i.keyword === keyword).at(-1);

/** COPY/ADD sources taken from the build context (not from another stage or image). */
function contextSources(df: Dockerfile): { stage: Stage; ins: Instruction; sources: string[] }[] {
  const out: { stage: Stage; ins: Instruction; sources: string[] }[] = [];
  for (const stage of df.stages) {
    for (const ins of stage.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.from) continue;
      const parts = ins.json ?? ins.args.split(/\s+/);
      out.push({ stage, ins, sources: parts.slice(0, -1) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// .dockerignore, as Docker reads it (moby/patternmatcher): Go globs plus `**`, a pattern that
// matches a folder excludes what is under it, `!` re-includes, the last matching line wins.

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      out += pattern.slice(i, end + 1).replace(/^\[!/, '[^');
      i = end;
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize(negate ? l.slice(1).trim() : l).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  return (path) => {
    const parts = posix.normalize(path).replace(/^\.\//, '').split('/');
    let excluded = false;
    for (const rule of rules) {
      for (let n = parts.length; n > 0; n--) {
        if (rule.re.test(parts.slice(0, n).join('/'))) {
          excluded = !rule.negate;
          break;
        }
      }
    }
    return excluded;
  };
}

/** Files git tracks under a path (what a clean clone has); a walk without git. */
function trackedFiles(path: string): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', path], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(at(dir), { withFileTypes: true }).flatMap((e) =>
        e.name === 'node_modules' || e.name === 'dist' ? [] : e.isDirectory() ? walk(posix.join(dir, e.name)) : [posix.join(dir, e.name)],
      );
    return walk(path);
  }
}

// ---------------------------------------------------------------------------------------------
// The modules an entry point loads, against what the image installs.

const lock = JSON.parse(read('package-lock.json')) as Lockfile;

/** Workspace folder of an @ttt package, through its node_modules link. */
const workspaceOf = (name: string): string | undefined => lock.packages[`node_modules/${name}`]?.resolved;

/** The file a package's "exports" give for a subpath, Node's default condition. */
function exportTarget(workspace: string, subpath: string): string {
  const pkg = JSON.parse(read(workspace, 'package.json')) as { exports?: Record<string, unknown>; main?: string };
  const entry = pkg.exports?.[subpath === '' ? '.' : `./${subpath}`];
  const target = typeof entry === 'string' ? entry : (entry as Record<string, string> | undefined)?.default;
  if (!target) throw new Error(`${workspace}/package.json exports no "${subpath || '.'}" for Node (default condition)`);
  return posix.join(workspace, target);
}

const IMPORT_PATTERNS = [
  /(?:^|[;\s])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  // Worker files: new Worker(new URL('./x.js', import.meta.url)).
  /new URL\(\s*['"](\.{1,2}\/[^'"]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

/**
 * Walks the static imports from `entries` (repository paths of built files): relative files and
 * workspace packages are followed; a third-party import must resolve, from the importing
 * workspace, to a package of `packages`. Returns the problems and the workspaces reached.
 */
function walkImports(entries: string[], packages: Set<string>): { problems: string[]; workspaces: Set<string>; files: number } {
  const problems: string[] = [];
  const workspaces = new Set<string>();
  const seen = new Set<string>();
  const queue = [...entries];
  const workspaceDirs = Object.entries(lock.packages).filter(([k, v]) => !k.startsWith('node_modules/') && k !== '' && v.name).map(([k]) => k);
  const owner = (file: string) => workspaceDirs.find((w) => file.startsWith(`${w}/`)) ?? '';
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(at(file))) {
      problems.push(`${file} does not exist (run npm run build)`);
      continue;
    }
    const ws = owner(file);
    if (ws) workspaces.add(ws);
    const text = read(file);
    const specs = new Set(IMPORT_PATTERNS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1])));
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        queue.push(posix.join(posix.dirname(file), spec));
      } else if (isBuiltin(spec)) {
        continue;
      } else {
        const parts = spec.split('/');
        const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        const subpath = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
        const linked = workspaceOf(name);
        if (linked) {
          try {
            queue.push(exportTarget(linked, subpath));
          } catch (error) {
            problems.push(`${file}: ${(error as Error).message}`);
          }
          continue;
        }
        // Node's lookup: node_modules of the importing workspace, then of the root.
        const found = [ws && `${ws}/node_modules/${name}`, `node_modules/${name}`].filter(Boolean).some((c) => packages.has(c as string));
        if (!found) problems.push(`${file} imports ${spec}, which the image does not install`);
      }
    }
  }
  return { problems, workspaces, files: seen.size };
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string; required?: boolean }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  profiles?: string[];
  restart?: string;
  ports?: (string | number | Record<string, unknown>)[];
  volumes?: (string | { type: string; source?: string; target: string })[];
  deploy?: { resources?: { reservations?: { devices?: { driver?: string; count?: number | string; capabilities?: string[] }[] } } };
  [key: string]: unknown;
}
interface Compose {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

const composeText = read('docker-compose.yml');
// Compose resolves YAML anchors and merge keys (<<) before anything else.
const compose = parseYaml(composeText, { merge: true }) as Compose;

/** Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR:+alt}, $VAR, $$. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([^}]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(braced!);
    if (!m) throw new Error(`bad interpolation ${whole}`);
    const [, name, colon, op, word = ''] = m;
    const value = env[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (op === '-') return unset ? interpolate(word, env) : value!;
    if (op === '+') return unset ? '' : interpolate(word, env);
    if (op === '?') {
      if (unset) throw new Error(`${name} is required: ${word}`);
      return value!;
    }
    return value ?? '';
  });
}

function environmentOf(service: ComposeService, env: Record<string, string | undefined>): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((entry) => {
        const i = entry.indexOf('=');
        return [entry.slice(0, i), entry.slice(i + 1)] as const;
      })
    : Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)] as const);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v, env)]));
}

const dependsOn = (service: ComposeService): Record<string, { condition?: string }> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, { condition: 'service_started' }]))
    : (service.depends_on ?? {});
const dockerfileOf = (service: ComposeService) => (typeof service.build === 'object' ? service.build.dockerfile : undefined);
const isOneShot = (service: ComposeService) => service.restart === 'no';
const hasHealthcheck = (name: string, service: ComposeService): boolean => {
  if (service.healthcheck?.disable) return false;
  if (service.healthcheck?.test) return true;
  const file = dockerfileOf(service);
  return !!file && !!last(finalStage(parseDockerfile(read(file))).instructions, 'HEALTHCHECK');
};

/** .env.example as compose would read it from .env (KEY=value lines). */
const envExample = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

// The long-running services and the one-shots, by what they run.
const APP_SERVICES = Object.entries(compose.services).filter(([, s]) => serviceOfDockerfile(dockerfileOf(s) ?? '') && !s.command);
const ONE_SHOTS = Object.entries(compose.services).filter(([, s]) => isOneShot(s));

// =============================================================================================

describe('the parsers these checks rest on', () => {
  it('reads continued instructions, flags, exec forms, stages and ENV pairs', () => {
    const df = parseDockerfile(
      ['# syntax=docker/dockerfile:1', 'ARG BASE=node:20', 'FROM ${BASE} AS build', 'RUN a \\', '  # a comment', '  && b', 'FROM build', 'COPY --from=build /x /y', 'ENV A=1 B="two words" \\', '    C=3', 'USER 10001', 'HEALTHCHECK --interval=5s CMD ["node", "-e", "1"]', 'CMD ["node", "main.js"]'].join('\n'),
    );
    expect(df.stages.map((s) => [s.name, s.from])).toEqual([['build', 'node:20'], [undefined, 'build']]);
    expect(df.stages[0].instructions[0].args).toBe('a && b');
    const [copy, env, user, health, cmd] = df.stages[1].instructions;
    expect(copy.flags).toEqual({ from: 'build' });
    expect(envPairs(env.args)).toEqual({ A: '1', B: 'two words', C: '3' });
    expect(user.args).toBe('10001');
    expect([health.flags, health.json]).toEqual([{ interval: '5s' }, ['node', '-e', '1']]);
    expect(cmd.json).toEqual(['node', 'main.js']);
    expect(finalStage(df).instructions).toHaveLength(6);
  });

  it('matches .dockerignore patterns as Docker does', () => {
    const ignored = dockerignore('**/node_modules\n**/dist\n.env\n.env.*\n!.env.example\ndocs\n*.log');
    expect(['node_modules/x/y.js', 'libs/db/node_modules/a', 'dist/a.js', 'libs/db/dist/index.js', '.env', '.env.local', 'docs/a/b.png', 'x.log'].filter((p) => !ignored(p))).toEqual([]);
    expect(['.env.example', 'libs/db/src/index.ts', 'distant/a', 'src/docs.ts', 'a/x.log'].filter(ignored)).toEqual([]);
  });

  it('walks production dependencies as Node resolves them (prod-deps.mjs)', () => {
    const synthetic: Lockfile = {
      packages: {
        'services/app': { name: 'app', dependencies: { '@x/lib': '*', a: '1' }, devDependencies: { dev: '1' } } as Lockfile['packages'][string],
        'libs/lib': { name: '@x/lib', dependencies: { b: '1' } },
        'node_modules/@x/lib': { link: true, resolved: 'libs/lib' },
        'node_modules/@x/app': { link: true, resolved: 'services/app' },
        'node_modules/a': { dependencies: { b: '2' }, optionalDependencies: { 'native-linux': '1', 'native-win': '1' }, peerDependencies: { peer: '1', maybe: '1' }, peerDependenciesMeta: { maybe: { optional: true } } },
        'node_modules/a/node_modules/b': {},
        'node_modules/b': {},
        'node_modules/peer': {},
        'node_modules/maybe': {},
        'node_modules/dev': {},
        'node_modules/native-linux': { optional: true, os: ['linux'], cpu: ['x64'] },
        'node_modules/native-win': { optional: true, os: ['win32'], cpu: ['x64'] },
      },
    };
    // Both native packages are on disk: the platform fields alone keep native-win out.
    const installed = mkdtempSync(join(tmpdir(), 'prod-deps-'));
    for (const p of ['native-linux', 'native-win']) mkdirSync(join(installed, 'node_modules', p), { recursive: true });
    const closure = prodClosure(synthetic, ['services/app'], { root: installed, platform: 'linux', arch: 'x64', libc: 'glibc' });
    rmSync(installed, { recursive: true });
    expect(closure.workspaces).toEqual(['libs/lib', 'services/app']);
    expect(closure.packages).toEqual(['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/b', 'node_modules/native-linux', 'node_modules/peer']);
    expect([...closure.links]).toEqual([['node_modules/@x/lib', 'libs/lib']]);
    const missing = structuredClone(synthetic);
    delete missing.packages['node_modules/peer'];
    expect(() => prodClosure(missing, ['services/app'], { root: '/' })).toThrow('peer, needed by node_modules/a');
  });

  it('interpolates as compose does', () => {
    expect(interpolate('${A:-x} ${B-y} ${C:+z} $$D ${E}', { B: '', C: 'c' })).toBe('x  z $D ');
    expect(() => interpolate('${F:?set F}', {})).toThrow('F is required');
  });
});

describe.each(DOCKERFILES)('infra/docker/$file', ({ file, service, image }) => {
  const path = `infra/docker/${file}`;
  const df = parseDockerfile(read(path));
  const { stage: final, instructions } = finalStage(df);
  const port = defaultPort(service);

  it('is multi-stage on Node 20 (bookworm-slim) with a named final stage', () => {
    expect(df.stages.length).toBeGreaterThanOrEqual(2);
    expect(df.globalArgs.NODE_IMAGE).toBe('node:20-bookworm-slim');
    expect(df.stages[0].from).toBe('node:20-bookworm-slim');
    if (file.includes('cuda')) {
      expect(final.from).toMatch(/^nvidia\/cuda:[\d.]+-runtime-ubuntu/);
      expect(instructions.some((i) => i.keyword === 'COPY' && i.flags.from && /\/usr\/local\/bin\/node/.test(i.args))).toBe(true);
    } else {
      expect(final.from).toBe('node:20-bookworm-slim');
    }
    for (const ins of df.stages.flatMap((s) => s.instructions)) {
      const from = ins.flags.from;
      if (typeof from === 'string') expect(df.stages.some((s) => s.name === from) || from.includes(':'), `line ${ins.line}: --from=${from}`).toBe(true);
    }
  });

  it('runs as a non-root user, uid 10001, in /app', () => {
    const user = last(instructions, 'USER');
    expect(user, 'no USER in the final stage').toBeDefined();
    const [uid] = user!.args.split(':');
    expect(['root', '0']).not.toContain(uid);
    expect(uid).toBe('10001');
    expect(last(instructions, 'WORKDIR')?.args).toBe('/app');
    expect(instructions.some((i) => i.keyword === 'RUN' && /useradd --uid 10001\b/.test(i.args))).toBe(true);
  });

  it(`exposes ${service}'s default port (${port}) and sets PORT to it`, () => {
    const exposed = instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toEqual([String(port)]);
    const env = Object.assign({}, ...instructions.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args))) as Record<string, string>;
    expect(env.PORT).toBe(String(port));
    expect(env.NODE_ENV).toBe('production');
  });

  it('checks /health with node (no curl in the image) on that port', () => {
    const health = last(instructions, 'HEALTHCHECK');
    expect(health?.json?.slice(0, 2), 'HEALTHCHECK CMD ["node", ...]').toEqual(['node', '-e']);
    const script = health!.json![2];
    expect(script).toContain('/health');
    expect(script).toContain(`process.env.PORT||${port}`);
    expect(health!.flags.timeout).toBeDefined();
  });

  it('hands signals to node through tini, and runs a file the build produces', () => {
    expect(last(instructions, 'ENTRYPOINT')?.json).toEqual(['/usr/bin/tini', '--']);
    const cmd = last(instructions, 'CMD')?.json;
    expect(cmd?.[0]).toBe('node');
    const entry = cmd!.find((a) => a.endsWith('.js'))!;
    expect(entry).toBe(`services/${service}/dist/main.js`);
    expect(existsSync(at(entry)), `${entry} missing: run npm run build first`).toBe(true);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const ignored = dockerignore(read('.dockerignore'));
    const problems: string[] = [];
    for (const { ins, sources } of contextSources(df)) {
      for (const source of sources) {
        const src = posix.normalize(source).replace(/\/+$/, '') || '.';
        if (!existsSync(at(src))) {
          problems.push(`line ${ins.line}: COPY ${source} does not exist`);
          continue;
        }
        // The whole context: what the manifests stage picks from it must get through.
        const needed = src === '.' ? ['package-lock.json', '.npmrc', ...trackedFiles('.').filter((f) => posix.basename(f) === 'package.json')] : trackedFiles(src);
        if (!needed.length) problems.push(`line ${ins.line}: COPY ${source} has no tracked files`);
        for (const f of needed.filter(ignored)) problems.push(`line ${ins.line}: COPY ${source} needs ${f}, which .dockerignore excludes`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds and ships this service (prod-deps.mjs order/copy name it)', () => {
    const runs = instructions.length ? df.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n') : '';
    expect(runs).toContain(`prod-deps.mjs copy /prod-deps services/${service}`);
    expect(runs).toContain(`prod-deps.mjs order services/${service}`);
    expect(runs).toMatch(/npm ci --ignore-scripts/);
    if (service === 'game-api') {
      expect(runs).toMatch(/for ws in \$workspaces web; do npm run build/);
      expect(runs).toContain('cp -r web/dist /prod/web/');
      expect(runs).toContain('cp -r prisma/migrations /prod/prisma/');
    }
    if (service === 'trainer') expect(runs).toContain('cp -r services/trainer/python/ttt_trainer /prod/services/trainer/python/');
  });

  it(`is the image ${image}`, () => {
    const tagged = Object.values(compose.services).filter((s) => dockerfileOf(s) === path);
    expect(tagged.length, `no compose service builds ${path}`).toBeGreaterThan(0);
    for (const s of tagged) expect(s.image?.replace(/:\$\{TTT_TAG:-latest\}$/, '')).toBe(image);
  });

  if (service === 'trainer') {
    it('carries Python 3 with torch, numpy and onnx', () => {
      const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
      const env = Object.assign({}, ...instructions.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args))) as Record<string, string>;
      if (file.includes('cuda')) {
        expect(runs).toMatch(/pip install .*--index-url "\$\{TORCH_INDEX_URL\}" "torch==/);
        expect(df.globalArgs.TORCH_INDEX_URL).toMatch(/^https:\/\/download\.pytorch\.org\/whl\/cu\d+$/);
        expect(runs).toMatch(/pip install .*numpy.*onnx/);
        expect(env.TRAINER_PYTHON).toBe('/opt/torch/bin/python');
      } else {
        for (const pkg of ['python3-torch', 'python3-numpy', 'python3-onnx', 'libopenblas0-pthread', 'libjemalloc2']) expect(runs).toContain(pkg);
        expect(env.TRAINER_PYTHON).toBe('/usr/bin/python3');
      }
      expect(runs).toMatch(/python\S* -c 'import torch, numpy, onnx/);
      expect(env.TRAINER_WORK_DIR).toBe('/var/lib/ttt/trainer');
    });
  }
});

describe('what each image installs', () => {
  const ports = Object.keys(SERVICES).map((service) => ({ service, closure: prodClosure(lock, [`services/${service}`], { root }) }));

  it.each(ports)('$service: every module its entry points import is installed (production dependencies only)', ({ service, closure }) => {
    // The image's commands: its CMD and the ones compose runs in it (migrator, seeding).
    const entries = new Set([`services/${service}/dist/main.js`]);
    for (const s of Object.values(compose.services)) {
      if (serviceOfDockerfile(dockerfileOf(s) ?? '')?.service !== service || !Array.isArray(s.command)) continue;
      for (const arg of s.command) if (arg.endsWith('.js')) entries.add(arg);
    }
    const { problems, workspaces, files } = walkImports([...entries], new Set(closure.packages));
    expect(problems).toEqual([]);
    expect(files).toBeGreaterThan(10);
    // Each workspace the code reaches is one the Dockerfile builds and copies.
    expect([...workspaces].filter((w) => !closure.workspaces.includes(w))).toEqual([]);
  });

  it('leaves out what production does not need', () => {
    const of = (service: string) => new Set(ports.find((p) => p.service === service)!.closure.packages);
    for (const { closure } of ports) {
      for (const dev of ['node_modules/typescript', 'node_modules/nx', 'node_modules/prisma', 'node_modules/@nestjs/testing', 'node_modules/playwright-core']) {
        expect(closure.packages).not.toContain(dev);
      }
    }
    // game-api's tests use inference and the web app; its image has neither's dependencies.
    expect(of('game-api').has('node_modules/onnxruntime-node')).toBe(false);
    expect(of('inference').has('node_modules/onnxruntime-node')).toBe(true);
    expect(of('trainer').has('node_modules/@huggingface/transformers')).toBe(true);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore(read('.dockerignore'));

  it('keeps secrets, local state and build output out of the build context', () => {
    const leaks = ['.env', '.env.production', 'node_modules/pg/index.js', 'services/game-api/node_modules/x', 'services/game-api/dist/main.js', 'web/dist/index.html', '.artifacts/models/x', '.trainer/runs/a', '.test-results/x.json', 'docs/screenshots/card.png', 'libs/db/src/generated/prisma/client.ts', '.git/HEAD'];
    expect(leaks.filter((p) => !ignored(p))).toEqual([]);
    expect(ignored('.env.example')).toBe(false);
  });
});

describe('docker-compose.yml', () => {
  const services = compose.services;

  it('keeps Postgres and Redis startable on their own, on the ports .env.example uses', () => {
    for (const name of ['postgres', 'redis']) {
      const s = services[name];
      expect(s.profiles, `${name} must be in the default profile`).toBeUndefined();
      expect(s.depends_on).toBeUndefined();
      expect(s.build).toBeUndefined();
    }
    expect(services.postgres.ports).toContain(`127.0.0.1:${new URL(envExample.DATABASE_URL).port}:5432`);
    expect(services.redis.ports).toContain(`127.0.0.1:${new URL(envExample.REDIS_URL).port}:6379`);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect((services.redis.volumes ?? []).some((v) => typeof v === 'string' && v.endsWith(':/data'))).toBe(true);
  });

  it('uses only keys of the Compose Specification', () => {
    // The spec's JSON schema is not available offline; these are its top-level and service keys.
    const TOP = ['version', 'name', 'include', 'services', 'models', 'networks', 'volumes', 'secrets', 'configs'];
    const SERVICE = ['develop', 'deploy', 'annotations', 'attach', 'build', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'command', 'configs', 'container_name', 'cpu_count', 'cpu_percent', 'cpu_shares', 'cpu_quota', 'cpu_period', 'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpuset', 'credential_spec', 'depends_on', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'domainname', 'entrypoint', 'env_file', 'label_file', 'environment', 'expose', 'extends', 'provider', 'external_links', 'extra_hosts', 'gpus', 'group_add', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'isolation', 'labels', 'links', 'logging', 'mac_address', 'mem_limit', 'mem_reservation', 'mem_swappiness', 'memswap_limit', 'network_mode', 'models', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'post_start', 'pre_stop', 'privileged', 'profiles', 'pull_policy', 'read_only', 'restart', 'runtime', 'scale', 'security_opt', 'shm_size', 'secrets', 'sysctls', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user', 'uts', 'userns_mode', 'volumes', 'volumes_from', 'working_dir'];
    const HEALTHCHECK = ['disable', 'interval', 'retries', 'test', 'timeout', 'start_period', 'start_interval'];
    const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];
    const problems: string[] = [];
    for (const key of Object.keys(compose)) if (!TOP.includes(key) && !key.startsWith('x-')) problems.push(`top-level ${key}`);
    for (const [name, s] of Object.entries(services)) {
      if (!/^[a-zA-Z0-9._-]+$/.test(name)) problems.push(`service name ${name}`);
      for (const key of Object.keys(s)) if (!SERVICE.includes(key) && !key.startsWith('x-')) problems.push(`${name}.${key}`);
      for (const key of Object.keys(s.healthcheck ?? {})) if (!HEALTHCHECK.includes(key)) problems.push(`${name}.healthcheck.${key}`);
      for (const [dep, d] of Object.entries(dependsOn(s))) if (!CONDITIONS.includes(d.condition ?? '')) problems.push(`${name}.depends_on.${dep}.condition ${d.condition}`);
      if (s.environment && !Array.isArray(s.environment)) {
        for (const [k, v] of Object.entries(s.environment)) if (v !== null && typeof v === 'object') problems.push(`${name}.environment.${k} is not a scalar`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every service a health check, or makes it a one-shot', () => {
    const missing = Object.entries(services).filter(([name, s]) => !hasHealthcheck(name, s) && !isOneShot(s)).map(([name]) => name);
    expect(missing).toEqual([]);
    expect(ONE_SHOTS.map(([name]) => name).sort()).toEqual(['migrate', 'seed']);
  });

  it('depends only on services that exist, are ready in the way asked, and run in the same profiles', () => {
    const problems: string[] = [];
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(dependsOn(s))) {
        const target = services[dep];
        if (!target) {
          problems.push(`${name} depends on ${dep}, which is not a service`);
          continue;
        }
        if (condition === 'service_healthy' && !hasHealthcheck(dep, target)) problems.push(`${name} waits for ${dep} to be healthy; it has no health check`);
        if (condition === 'service_completed_successfully' && !isOneShot(target)) problems.push(`${name} waits for ${dep} to complete; it is not a one-shot`);
        // A default service cannot start after one that only runs under a profile.
        const missingProfile = (target.profiles ?? []).length && !(s.profiles ?? []).some((p) => target.profiles!.includes(p));
        if (missingProfile) problems.push(`${name} depends on ${dep}, which only runs with profile ${target.profiles!.join('/')}`);
      }
    }
    expect(problems).toEqual([]);
    // Everything that touches the database waits for the migrations.
    for (const [name] of [...APP_SERVICES]) expect(dependsOn(services[name]).migrate?.condition, name).toBe('service_completed_successfully');
  });

  it('builds from Dockerfiles that exist, with the repository as the context', () => {
    const problems: string[] = [];
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      if (typeof s.build !== 'object' || s.build.context !== '.') problems.push(`${name}: build.context must be "."`);
      const file = dockerfileOf(s);
      if (!file || !existsSync(at(file))) problems.push(`${name}: ${file} does not exist`);
    }
    expect(problems).toEqual([]);
    // Every Dockerfile in infra/docker is one of the images, and every service has one.
    const files = readdirSync(dockerDir).filter((f) => f.endsWith('.Dockerfile')).sort();
    expect(files).toEqual(DOCKERFILES.map((d) => d.file).sort());
    expect(readdirSync(at('services')).filter((d) => existsSync(at('services', d, 'src/main.ts'))).sort()).toEqual(Object.keys(SERVICES).sort());
  });

  it('runs every service, the trainer on an NVIDIA GPU under the gpu profile', () => {
    const running = APP_SERVICES.map(([, s]) => serviceOfDockerfile(dockerfileOf(s)!)!.service);
    expect([...new Set(running)].sort()).toEqual(Object.keys(SERVICES).sort());
    const trainer = services.trainer;
    expect(trainer.profiles).toContain('gpu');
    expect(dockerfileOf(trainer)).toBe('infra/docker/trainer-cuda.Dockerfile');
    expect(trainer.image).toBe(`${IMAGE_REPO}trainer:cuda`);
    const devices = trainer.deploy?.resources?.reservations?.devices ?? [];
    expect(devices.some((d) => d.driver === 'nvidia' && d.capabilities?.includes('gpu') && (d.count === 1 || d.count === 'all'))).toBe(true);
    // The CPU trainer, if any, is under a profile of its own, never beside the GPU one by default.
    for (const [name, s] of APP_SERVICES) {
      if (serviceOfDockerfile(dockerfileOf(s)!)!.service === 'trainer') expect(s.profiles?.length, `${name} runs without a profile`).toBeGreaterThan(0);
    }
    // Observability is opt-in.
    for (const name of ['prometheus', 'grafana']) expect(services[name]?.profiles).toEqual(['observability']);
  });

  it('works without a .env: nothing is required, and .env\'s localhost URLs are not used', () => {
    const used = [...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}/g)];
    expect(used.filter(([, , op]) => op.includes('?')).map(([whole]) => whole)).toEqual([]);
    // .env serves `npm start`: these point at 127.0.0.1 or this checkout there.
    const localOnly = ['DATABASE_URL', 'REDIS_URL', 'INFERENCE_URL', 'ARTIFACT_STORE_URL', 'TRAINER_PYTHON', 'TEST_DATABASE_URL'];
    expect(used.map(([, name]) => name).filter((n) => localOnly.includes(n))).toEqual([]);
  });

  describe.each([
    ['no .env', {} as Record<string, string>],
    ['.env from .env.example, with a session secret', { ...envExample, GAME_SESSION_SECRET: 's'.repeat(43) }],
  ])('environment (%s)', (_, dotenv) => {
    it.each(APP_SERVICES.map(([name, s]) => ({ name, s, service: serviceOfDockerfile(dockerfileOf(s)!)!.service })))(
      '$name: its service accepts it, and every required variable is set',
      ({ s, service }) => {
        const df = parseDockerfile(read(dockerfileOf(s)!));
        const imageEnv = Object.assign({}, ...finalStage(df).instructions.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args))) as Record<string, string>;
        const env = { ...imageEnv, ...environmentOf(s, dotenv) };
        const schema = SERVICES[service].schema;
        const required = Object.keys(schema.shape).filter((k) => !schema.shape[k].safeParse(undefined).success);
        expect(required.length).toBeGreaterThan(0);
        expect(required.filter((k) => !env[k])).toEqual([]);
        // Empty means unset to the services (loadConfig), as it does here.
        const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
        expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
        const config = parsed.data as Record<string, unknown>;
        expect(config.PORT).toBe(defaultPort(service));
        expect(new URL(config.DATABASE_URL as string).hostname).toBe('postgres');
        expect(new URL(config.REDIS_URL as string).hostname).toBe('redis');
        expect(config.NODE_ENV).toBe('production');
        if (service === 'game-api') {
          expect(new URL(config.INFERENCE_URL as string).host).toBe(`inference:${defaultPort('inference')}`);
          // game-api refuses to start in production without it: it must come from .env.
          expect(config.GAME_SESSION_SECRET).toBe(dotenv.GAME_SESSION_SECRET);
        }
      },
    );
  });

  it('runs the one-shots with what their CLI needs', () => {
    for (const [name, s] of ONE_SHOTS) {
      const env = environmentOf(s, {});
      expect(baseEnvSchema.pick({ DATABASE_URL: true }).safeParse(env).success, name).toBe(true);
      const cli = (s.command as string[]).find((a) => a.endsWith('.js'))!;
      expect(existsSync(at(cli)), `${name}: ${cli}`).toBe(true);
      expect(s.healthcheck?.disable, `${name}: the image's health check would run against a CLI`).toBe(true);
    }
    expect(services.migrate.command).toEqual(['node', 'libs/db/dist/migrate/migrate.cli.js']);
    expect(environmentOf(services.migrate, {}).MIGRATIONS_DIR).toBe('/app/prisma/migrations');
    expect(existsSync(at('prisma/migrations'))).toBe(true);
    expect(existsSync(at('sources'))).toBe(true);
  });

  it('checks each service\'s /health on its own port', () => {
    for (const [name, s] of APP_SERVICES) {
      const test = (Array.isArray(s.healthcheck?.test) ? s.healthcheck.test : [s.healthcheck?.test ?? '']).join(' ');
      expect(test, name).toContain('/health');
      expect(test, name).toContain('process.env.PORT');
      const service = serviceOfDockerfile(dockerfileOf(s)!)!.service;
      expect(environmentOf(s, {}).PORT, name).toBe(String(defaultPort(service)));
    }
    expect(services['game-api'].ports).toEqual([`\${GAME_API_PORT:-3000}:${defaultPort('game-api')}`]);
  });

  it('shares one artifacts volume at the path ARTIFACT_STORE_URL names, and keeps the trainer\'s runs', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const problems: string[] = [];
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : v.source ?? '';
        if (source.startsWith('.') || source.startsWith('/')) {
          if (!existsSync(at(source))) problems.push(`${name}: bind mount ${source} does not exist`);
        } else if (!declared.includes(source)) problems.push(`${name}: volume ${source} is not declared`);
      }
    }
    expect(problems).toEqual([]);
    for (const [name, s] of APP_SERVICES) {
      const url = environmentOf(s, {}).ARTIFACT_STORE_URL;
      const service = serviceOfDockerfile(dockerfileOf(s)!)!.service;
      if (!('ARTIFACT_STORE_URL' in SERVICES[service].schema.shape)) {
        expect(url, name).toBeUndefined();
        continue;
      }
      expect(url, name).toBe('file:///artifacts');
      expect(s.volumes, name).toContain('artifacts:/artifacts');
    }
    for (const name of ['trainer', 'trainer-cpu']) {
      if (!services[name]) continue;
      const workDir = environmentOf(services[name], {}).TRAINER_WORK_DIR;
      expect(services[name].volumes, name).toContain(`trainer-work:${workDir}`);
    }
  });
});

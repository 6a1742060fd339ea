#!/usr/bin/env node
// The production dependencies of one workspace, read from package-lock.json, for the images.
//
// `npm ci --omit=dev -w <ws>` is not enough here: it follows the workspace's devDependencies
// into other workspaces (game-api's tests pull in inference and its 290 MB of onnxruntime, the
// web app, Vite...) and keeps their production dependencies, because every workspace is a
// production dependency of the root. This walks only `dependencies`, `optionalDependencies`
// (those installed for this platform) and required `peerDependencies`, resolving each name the
// way Node does (nearest node_modules up the tree), starting from the workspace.
//
//   node infra/docker/prod-deps.mjs order <ws>...        workspaces in the closure, dependencies first
//   node infra/docker/prod-deps.mjs packages <ws>...     node_modules paths in the closure
//   node infra/docker/prod-deps.mjs copy <out> <ws>...   copies them to <out>/node_modules (workspace
//                                                        links stay relative symlinks), then slims them
//
// Run from the repository root after `npm ci`; <ws> is a workspace folder (services/game-api).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `node_modules/x` for every ancestor folder of `from` (nearest first), as Node looks them up. */
function candidates(from, name) {
  const parts = from ? from.split('/') : [];
  const out = [];
  for (let i = parts.length; i >= 0; i--) {
    if (i > 0 && parts[i - 1] === 'node_modules') continue;
    const dir = parts.slice(0, i).join('/');
    out.push(dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`);
  }
  return out;
}

/** glibc or musl, as npm tells them apart for packages with a "libc" field. */
function currentLibc() {
  if (process.platform !== 'linux') return undefined;
  return process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
}

function fitsPlatform(entry, platform, arch, libc) {
  if (entry.os && !entry.os.includes(platform)) return false;
  if (entry.cpu && !entry.cpu.includes(arch)) return false;
  if (entry.libc && libc && !entry.libc.includes(libc)) return false;
  return true;
}

/**
 * The closure of `workspaces` (folders such as `services/game-api`).
 * @returns {{ packages: string[], links: Map<string, string>, workspaces: string[] }} packages:
 * lockfile paths under node_modules to ship; links: node_modules path → workspace folder;
 * workspaces: every workspace reached, each after the workspaces it depends on.
 */
export function prodClosure(lock, workspaces, { root = '.', platform = process.platform, arch = process.arch, libc = currentLibc() } = {}) {
  const pkgs = lock.packages;
  const packages = new Set();
  const links = new Map();
  const order = [];
  const seenWorkspaces = new Set();

  const resolveDep = (from, name) => candidates(from, name).find((c) => pkgs[c] !== undefined);

  const visitWorkspace = (ws) => {
    if (seenWorkspaces.has(ws)) return;
    seenWorkspaces.add(ws);
    const entry = pkgs[ws];
    if (!entry) throw new Error(`${ws} is not a workspace in package-lock.json`);
    visitDeps(ws, entry);
    order.push(ws);
  };

  const visitDeps = (at, entry) => {
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}).map((n) => [n, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((n) => [n, true]),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)).map((n) => [n, false]),
    ];
    for (const [name, optional] of wanted) {
      const loc = resolveDep(at, name);
      if (!loc) {
        if (optional) continue;
        throw new Error(`${name}, needed by ${at || 'the root'}, is not in package-lock.json: run npm install`);
      }
      visitPackage(loc, optional);
    }
  };

  const visitPackage = (loc, optional) => {
    if (packages.has(loc) || links.has(loc)) return;
    const entry = pkgs[loc];
    if (entry.link) {
      links.set(loc, entry.resolved);
      visitWorkspace(entry.resolved);
      return;
    }
    if (optional || entry.optional) {
      // Platform packages (onnxruntime, sharp, rolldown...) for other systems are in the lockfile
      // but were never installed here.
      if (!fitsPlatform(entry, platform, arch, libc) || !existsSync(join(root, loc))) return;
    }
    packages.add(loc);
    visitDeps(loc, entry);
  };

  for (const ws of workspaces) visitWorkspace(ws.replace(/\/+$/, ''));
  return { packages: [...packages].sort(), links, workspaces: order };
}

/** Copies the closure's packages (without their nested node_modules, copied on their own if needed). */
export function copyClosure(closure, root, out) {
  for (const loc of closure.packages) {
    const from = join(root, loc);
    cpSync(from, join(out, loc), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => src === from || !relative(from, src).split('/').includes('node_modules'),
    });
  }
  for (const [loc, target] of closure.links) {
    const at = join(out, loc);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(relative(dirname(loc), target), at);
  }
}

/**
 * Drops files no process in the image can load: onnxruntime-node's binaries for other systems
 * (~250 MB of its 290) and the Prisma query compilers of other databases (~55 MB; the generated
 * client imports only query_compiler_fast_bg.postgresql.*).
 */
export function slim(out, { platform = process.platform, arch = process.arch } = {}) {
  const removed = [];
  const ort = join(out, 'node_modules/onnxruntime-node/bin/napi-v6');
  if (existsSync(ort)) {
    for (const os of readdirSync(ort)) {
      for (const cpu of readdirSync(join(ort, os))) {
        if (os === platform && cpu === arch) continue;
        rmSync(join(ort, os, cpu), { recursive: true, force: true });
        removed.push(`onnxruntime-node/bin/napi-v6/${os}/${cpu}`);
      }
    }
  }
  const runtime = join(out, 'node_modules/@prisma/client/runtime');
  if (existsSync(runtime)) {
    for (const file of readdirSync(runtime)) {
      if (file.startsWith('query_compiler_') && !file.includes('.postgresql.')) {
        rmSync(join(runtime, file), { force: true });
        removed.push(`@prisma/client/runtime/${file}`);
      }
    }
  }
  return removed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [command, ...args] = process.argv.slice(2);
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  if (command === 'order' && args.length) {
    console.log(prodClosure(lock, args).workspaces.join('\n'));
  } else if (command === 'packages' && args.length) {
    console.log(prodClosure(lock, args).packages.join('\n'));
  } else if (command === 'copy' && args.length >= 2) {
    const [out, ...workspaces] = args;
    const closure = prodClosure(lock, workspaces);
    copyClosure(closure, '.', out);
    const removed = slim(out);
    console.error(`${closure.packages.length} packages, ${closure.links.size} workspace links → ${out}/node_modules (${removed.length} files for other platforms or databases left out)`);
  } else {
    console.error('usage: prod-deps.mjs order <ws>... | packages <ws>... | copy <out> <ws>...');
    process.exit(2);
  }
}

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './schemas.js';

/** kubectl, or the binary KUBECTL names. */
export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

const INSTALL_HINT =
  'These tests render infra/k8s with `kubectl kustomize` (kubectl >= 1.27 bundles kustomize v5). ' +
  'Install kubectl (https://kubernetes.io/docs/tasks/tools/, or the pkgs.k8s.io apt repository) or point KUBECTL at one.';

function run(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(KUBECTL, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `kubectl not found ("${KUBECTL}" is not on PATH). ${INSTALL_HINT}` : `${KUBECTL} failed to run: ${result.error.message}`);
  }
  if (result.status !== 0) throw new Error(`${KUBECTL} ${args.join(' ')} exited with ${result.status}:\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The kustomize version kubectl bundles, e.g. "v5.5.0"; throws, saying to install kubectl, when it cannot be run. */
export function kustomizeVersion(): string {
  const { stdout } = run(['version', '--client', '--output=json']);
  const version = (JSON.parse(stdout) as { kustomizeVersion?: string }).kustomizeVersion;
  if (!version) throw new Error(`${KUBECTL} reports no bundled kustomize. ${INSTALL_HINT}`);
  return version;
}

export interface Rendered {
  objects: KubeObject[];
  /** What kustomize wrote on stderr (deprecation warnings land here). */
  warnings: string;
}

/** `kubectl kustomize <dir>`, every document parsed. */
export function render(dir: string): Rendered {
  const { stdout, stderr } = run(['kustomize', dir]);
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(stdout)) {
    if (document.errors.length > 0) throw new Error(`kustomize output of ${dir} is not YAML: ${document.errors[0]!.message}`);
    const object = document.toJS() as KubeObject | null;
    if (object === null) continue;
    objects.push(object);
  }
  for (const object of objects) {
    // kustomize folds long base64 values over several lines; the API server's decoder (Go's
    // encoding/base64) skips line breaks, kubernetes-models' "byte" format does not.
    if (object.kind === 'Secret' && object.data && typeof object.data === 'object') {
      for (const [key, value] of Object.entries(object.data as Record<string, unknown>)) {
        if (typeof value === 'string') (object.data as Record<string, string>)[key] = value.replace(/\s+/g, '');
      }
    }
  }
  return { objects, warnings: stderr.trim() };
}

/**
 * A scratch copy of infra/k8s in which every overlay that reads `secret.env` gets the committed
 * secret.env.example in its place: what CI renders is the committed tree, and a developer's real
 * secret.env is never read by the tests.
 */
export function scratchCopy(k8sDir: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ttt-k8s-'));
  cpSync(k8sDir, dir, { recursive: true, filter: (source) => !source.endsWith(`${'/'}secret.env`) });
  const example = readFileSync(join(k8sDir, 'secret.env.example'), 'utf8');
  for (const overlay of readdirSync(join(dir, 'overlays'))) {
    const kustomization = join(dir, 'overlays', overlay, 'kustomization.yaml');
    if (existsSync(kustomization) && /^\s*-\s*secret\.env\s*$/m.test(readFileSync(kustomization, 'utf8'))) {
      writeFileSync(join(dir, 'overlays', overlay, 'secret.env'), example);
    }
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

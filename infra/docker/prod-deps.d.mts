export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Closure {
  /** Lockfile paths under node_modules to ship. */
  packages: string[];
  /** node_modules path → workspace folder. */
  links: Map<string, string>;
  /** Every workspace reached, each after the workspaces it depends on. */
  workspaces: string[];
}

export function prodClosure(
  lock: Lockfile,
  workspaces: string[],
  options?: { root?: string; platform?: string; arch?: string; libc?: 'glibc' | 'musl' },
): Closure;

export function copyClosure(closure: Closure, root: string, out: string): void;

export function slim(out: string, options?: { platform?: string; arch?: string }): string[];

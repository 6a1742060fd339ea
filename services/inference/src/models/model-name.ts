const PREFIX = 'gpt2-twitter-';
const NAME = /^gpt2-twitter-([a-z0-9][a-z0-9-]{0,62})(?:@([1-9]\d{0,8}))?$/;

export interface ModelRef {
  category: string;
  /** A pinned version number within the category; null: the active one. */
  version: number | null;
}

/** `gpt2-twitter-<category>` or `gpt2-twitter-<category>@<version>`; null when it is neither. */
export function parseModelName(name: string): ModelRef | null {
  const m = NAME.exec(name);
  return m ? { category: m[1]!, version: m[2] ? Number(m[2]) : null } : null;
}

export function modelName(category: string, version?: number): string {
  return version === undefined ? `${PREFIX}${category}` : `${PREFIX}${category}@${version}`;
}

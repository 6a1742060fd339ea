import { parseHandleList } from '@ttt/contracts';

export type Platform = 'x' | 'bluesky';

export interface HandleProblem {
  line: number;
  text: string;
  reason: string;
}

export interface HandleInput {
  handles: string[];
  invalid: HandleProblem[];
}

const BLUESKY = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * Handles from a sources/<name>.txt file (one a line, # comments, a `# name:` header) or from a
 * JSON list (each entry counts as one line). X handles go through the shared parser of handle
 * lists; Bluesky handles are domain names (alice.bsky.social). Repeats are dropped.
 */
export function handlesFromText(platform: Platform, text: string): HandleInput {
  if (platform === 'x') {
    const list = parseHandleList('upload', text);
    return { handles: list.handles, invalid: list.problems };
  }
  return blueskyHandles(
    text.split(/\r?\n/).map((raw, i) => ({ line: i + 1, raw, value: /^\s*#\s*name:/i.test(raw) ? '' : raw.replace(/#.*$/, '').trim() })),
  );
}

export function handlesFromList(platform: Platform, entries: string[]): HandleInput {
  if (platform === 'bluesky') return blueskyHandles(entries.map((raw, i) => ({ line: i + 1, raw, value: /[\r\n#]/.test(raw) || !raw.trim() ? '#' : raw.trim() })));
  const result: HandleInput = { handles: [], invalid: [] };
  const seen = new Set<string>();
  entries.forEach((raw, i) => {
    const list = /[\r\n#]/.test(raw) || !raw.trim() ? null : parseHandleList('upload', raw);
    const handle = list?.handles[0];
    if (!handle) {
      result.invalid.push({ line: i + 1, text: raw, reason: 'not a handle (1-15 letters, digits or _)' });
      return;
    }
    if (seen.has(handle.toLowerCase())) return;
    seen.add(handle.toLowerCase());
    result.handles.push(handle);
  });
  return result;
}

function blueskyHandles(lines: { line: number; raw: string; value: string }[]): HandleInput {
  const result: HandleInput = { handles: [], invalid: [] };
  const seen = new Set<string>();
  for (const { line, raw, value } of lines) {
    if (value === '') continue;
    const handle = value.replace(/^https?:\/\/bsky\.app\/profile\//i, '').replace(/^@/, '').replace(/\/.*$/, '').toLowerCase();
    if (!BLUESKY.test(handle)) {
      result.invalid.push({ line, text: raw, reason: 'not a Bluesky handle (a domain name such as alice.bsky.social)' });
      continue;
    }
    if (seen.has(handle)) continue;
    seen.add(handle);
    result.handles.push(handle);
  }
  return result;
}

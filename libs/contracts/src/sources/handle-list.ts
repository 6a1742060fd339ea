export interface HandleList {
  slug: string;
  /** From a `# name: ...` line; the slug otherwise. */
  name: string;
  handles: string[];
  problems: { line: number; text: string; reason: string }[];
}

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/**
 * sources/<slug>.txt: one handle a line (an @ or a profile URL is accepted and stripped),
 * blank lines and # comments allowed, as the original game kept its lists.
 */
export function parseHandleList(slug: string, text: string): HandleList {
  const list: HandleList = { slug, name: slug, handles: [], problems: [] };
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const named = raw.match(/^\s*#\s*name:\s*(.+?)\s*$/i);
    if (named) {
      list.name = named[1];
      return;
    }
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const handle = line.replace(/^https?:\/\/(www\.)?(twitter|x)\.com\//i, '').replace(/^@/, '').replace(/\/.*$/, '');
    if (!HANDLE.test(handle)) {
      list.problems.push({ line: i + 1, text: raw, reason: 'not a handle (1-15 letters, digits or _)' });
      return;
    }
    const key = handle.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    list.handles.push(handle);
  });
  return list;
}

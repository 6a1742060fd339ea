/** Narrow readers for X's JSON, whose shape drifts: a missing or odd field reads as absent. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;

export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Follows keys through nested objects; null as soon as one is missing. */
export function at(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const key of path) {
    const o = obj(cur);
    if (!o) return null;
    cur = o[key];
  }
  return cur ?? null;
}

export const count = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : 0;

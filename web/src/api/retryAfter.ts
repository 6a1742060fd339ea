/**
 * How long to wait before trying again, from a Retry-After header (seconds or an HTTP date).
 * Without one, back off exponentially so a busy server is not hammered.
 */
export function retryDelayMs(header: string | null, attempt: number, now = Date.now()): number {
  const cap = 30_000;
  if (header !== null && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.min(cap, Math.max(0, seconds * 1000));
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.min(cap, Math.max(0, date - now));
  }
  return Math.min(cap, 1000 * 2 ** (attempt - 1));
}

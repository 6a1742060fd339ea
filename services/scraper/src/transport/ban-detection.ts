/**
 * Whether a response is the site refusing this IP rather than answering the request: Cloudflare's
 * block and challenge pages come as HTML 403/503 where an API answers JSON. Returns the reason to
 * count the ban under, or null.
 */
export function detectBan(status: number, headers: Record<string, string>, body: string): string | null {
  if (status !== 403 && status !== 503) return null;
  if (headers['cf-mitigated'] === 'challenge') return 'cloudflare_challenge';
  const html = (headers['content-type'] ?? '').includes('text/html') || /^\s*<(!doctype|html)/i.test(body);
  if (!html) return null;
  const cloudflare =
    headers['cf-ray'] !== undefined ||
    (headers['server'] ?? '').toLowerCase() === 'cloudflare' ||
    /cloudflare|attention required|just a moment|cf-ray|cf-error/i.test(body.slice(0, 20_000));
  if (!cloudflare) return null;
  return status === 403 ? 'cloudflare_403' : 'cloudflare_challenge';
}

import { detectBan } from '../../transport/ban-detection.js';
import type { HttpResponse } from '../../transport/http-transport.js';
import { SourceError } from '../source-errors.js';
import type { XrpcError } from './bluesky-records.js';

/** XRPC error names that mean the account is not there to scrape (gone, suspended, or blocking us). */
const NOT_FOUND = new Set(['AccountTakedown', 'AccountDeactivated', 'ActorNotFound', 'BlockedActor', 'BlockedByActor']);

function xrpcError(body: string): XrpcError {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as XrpcError) : {};
  } catch {
    return {};
  }
}

/** When the window resets: RateLimit-Reset is epoch seconds at the AppView. */
function resetAt(headers: Record<string, string>): Date | null {
  const reset = Number(headers['ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return new Date(reset < 1e9 ? Date.now() + reset * 1000 : reset * 1000);
  const retryAfter = Number(headers['retry-after']);
  return Number.isFinite(retryAfter) ? new Date(Date.now() + retryAfter * 1000) : null;
}

/** Throws the classified SourceError for any answer that is not a 2xx; returns quietly otherwise. */
export function throwIfXrpcFailed(what: string, res: HttpResponse): void {
  const { status } = res;
  if (status >= 200 && status < 300) return;
  const ban = detectBan(status, res.headers, res.body);
  if (ban) throw new SourceError('proxy_banned', `${what}: blocked (${ban}) via ${res.proxy ?? 'direct'}`, null, status);
  if (status === 429) {
    const at = resetAt(res.headers);
    throw new SourceError('rate_limited', `${what}: rate limited until ${at?.toISOString() ?? 'unknown'}`, at, status);
  }
  if (status >= 500) throw new SourceError('transient', `${what}: server error ${status}`, null, status);
  const err = xrpcError(res.body);
  const detail = `${err.error ?? 'error'}: ${err.message ?? ''}`.trim();
  if (status === 400 && (NOT_FOUND.has(err.error ?? '') || /not found/i.test(err.message ?? ''))) {
    throw new SourceError('not_found', `${what}: ${detail}`, null, status);
  }
  if (status === 401 || status === 403) throw new SourceError('auth_failed', `${what}: ${status} ${detail}`, null, status);
  if (status === 404) throw new SourceError('not_found', `${what}: 404 ${detail}`, null, status);
  throw new SourceError('bad_request', `${what}: ${status} ${detail}`, null, status);
}

import type { HttpResponse } from '../../transport/http-transport.js';
import { SourceError } from '../source-errors.js';
import { arr, at, obj, str } from './x-json.js';

/** An endpoint's window as the x-rate-limit-* headers describe it. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: Date;
}

const header = (response: HttpResponse, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
};

const epochSeconds = (value: string | undefined): Date | null => {
  if (!value || !/^\d{1,12}$/.test(value.trim())) return null;
  return new Date(Number(value.trim()) * 1000);
};

/** The rate-limit window of any response that carries the headers, null when it does not. */
export function readRateLimit(response: HttpResponse): RateLimitState | null {
  const limit = Number(header(response, 'x-rate-limit-limit'));
  const remaining = Number(header(response, 'x-rate-limit-remaining'));
  const resetAt = epochSeconds(header(response, 'x-rate-limit-reset'));
  if (!Number.isInteger(limit) || !Number.isInteger(remaining) || !resetAt) return null;
  return { limit, remaining, resetAt };
}

interface XApiError {
  code: number | null;
  message: string;
}

function apiErrors(body: string): XApiError[] {
  if (!body.trimStart().startsWith('{')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  return arr(at(parsed, 'errors')).map((e) => {
    const code = obj(e)?.code;
    return { code: typeof code === 'number' ? code : null, message: str(obj(e)?.message) ?? '' };
  });
}

// "The following features cannot be null: a_flag, another_flag" — the names are what an
// operator must add to the configured features.
function missingFeatures(message: string): string {
  const list = message.split(':').slice(1).join(':').trim();
  return list || message;
}

const CLOUDFLARE = /cloudflare|cf-ray|cf-error|attention required|cf-chl|challenge-platform/i;

/**
 * What a response from X means for the scraper: null when it can be used, otherwise the
 * SourceError that tells the scheduler what to do. Every non-2xx answer is an error; a 2xx one
 * only when its errors[] name a condition that makes the data unusable (X sends 200 with
 * errors[] for partial results too, which stay usable).
 */
export function classifyXResponse(response: HttpResponse): SourceError | null {
  const { status, body } = response;
  const resetAt = epochSeconds(header(response, 'x-rate-limit-reset'));
  const errors = apiErrors(body);
  const codes = new Set(errors.map((e) => e.code));
  const messageOf = (code: number) => errors.find((e) => e.code === code)?.message ?? '';

  if (status === 429 || codes.has(88)) {
    return new SourceError('rate_limited', `rate limited${resetAt ? ` until ${resetAt.toISOString()}` : ''}`, resetAt, status);
  }
  if (codes.has(326)) return new SourceError('account_locked', `account locked: ${messageOf(326)}`, null, status);
  // 64: the scraping account itself is suspended; a person must look at it like a locked one.
  if (codes.has(64)) return new SourceError('account_locked', `account suspended: ${messageOf(64)}`, null, status);
  // 32 could not authenticate; 239 bad guest token; 353 csrf (ct0) mismatch.
  for (const code of [32, 239, 353]) {
    if (codes.has(code)) return new SourceError('auth_failed', `authentication failed (${code}): ${messageOf(code)}`, null, status);
  }
  if (codes.has(336)) {
    return new SourceError('bad_request', `missing feature flags: ${missingFeatures(messageOf(336))}`, null, status);
  }
  if (status >= 200 && status < 300) return null;

  if (status === 404 && body.trim() === '') {
    return new SourceError('bad_request', 'empty 404: the query id (or client transaction id) is stale', null, status);
  }
  if (status === 403 && (CLOUDFLARE.test(body) || header(response, 'cf-ray') !== undefined) && !body.trimStart().startsWith('{')) {
    return new SourceError('proxy_banned', `blocked by Cloudflare through ${response.proxy ?? 'a direct connection'}`, null, status);
  }
  if (status >= 500 || status === 408) return new SourceError('transient', `X answered ${status}`, null, status);
  const detail = errors.map((e) => `${e.code ?? '?'} ${e.message}`).join('; ') || body.slice(0, 200);
  if (status === 401 || status === 403) return new SourceError('auth_failed', `X answered ${status}: ${detail}`, null, status);
  return new SourceError('bad_request', `X answered ${status}: ${detail}`, null, status);
}

/**
 * A transport failure as a SourceError: the transport's own classification when it made one
 * (a banned proxy), otherwise transient, since timeouts and dropped connections pass.
 */
export function asSourceError(error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new SourceError('transient', `request failed: ${message}${cause}`);
}

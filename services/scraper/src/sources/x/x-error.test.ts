import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../transport/http-transport.js';
import { classifyXResponse, readRateLimit } from './x-error.js';

const response = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status, body, headers, proxy: 'http://proxy-1:8080',
});
const errors = (...list: [number, string][]) => JSON.stringify({ errors: list.map(([code, message]) => ({ code, message })) });

describe('classifyXResponse', () => {
  it('lets a 200 with data and unrelated errors through, as X sends partial results that way', () => {
    const body = JSON.stringify({ data: { user: {} }, errors: [{ code: 37, message: 'Not authorized to view one tweet' }] });
    expect(classifyXResponse(response(200, body))).toBeNull();
  });

  it('takes the reset time of a 429 from x-rate-limit-reset, in epoch seconds', () => {
    const error = classifyXResponse(response(429, 'Rate limit exceeded', { 'X-Rate-Limit-Reset': '1700000000' }))!;
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(error.resetAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('names every missing feature flag of error 336', () => {
    const error = classifyXResponse(response(400, errors([336, 'The following features cannot be null: a_flag, b_flag'])))!;
    expect(error).toMatchObject({ kind: 'bad_request', message: 'missing feature flags: a_flag, b_flag' });
  });

  it('calls a 403 banned only when Cloudflare says so; an X refusal is an auth problem', () => {
    expect(classifyXResponse(response(403, '<html><title>Just a moment...</title><script src="/cdn-cgi/challenge-platform/x"></script></html>'))?.kind).toBe('proxy_banned');
    expect(classifyXResponse(response(403, errors([200, 'Forbidden.'])))?.kind).toBe('auth_failed');
  });

  it('makes every other non-2xx answer an error', () => {
    expect(classifyXResponse(response(404, 'Not Found'))?.kind).toBe('bad_request');
    expect(classifyXResponse(response(502, ''))?.kind).toBe('transient');
    expect(classifyXResponse(response(400, 'nonsense'))?.kind).toBe('bad_request');
  });
});

describe('readRateLimit', () => {
  it('reads the window of a successful answer, null without the headers', () => {
    const ok = response(200, '{}', { 'x-rate-limit-limit': '50', 'x-rate-limit-remaining': '49', 'x-rate-limit-reset': '1700000000' });
    expect(readRateLimit(ok)).toEqual({ limit: 50, remaining: 49, resetAt: new Date(1_700_000_000_000) });
    expect(readRateLimit(response(200, '{}'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { fakeServer } from '../test/fakeServer';
import { ApiError } from './ApiError';
import { request } from './client';
import { retryDelayMs } from './retryAfter';

describe('the API client', () => {
  it('reads Retry-After as seconds or a date, and backs off without one', () => {
    expect(retryDelayMs('3', 1)).toBe(3000);
    expect(retryDelayMs('Thu, 01 Jan 1970 00:00:10 GMT', 1, 4000)).toBe(6000);
    expect(retryDelayMs(null, 1)).toBe(1000);
    expect(retryDelayMs(null, 3)).toBe(4000);
    expect(retryDelayMs('99999', 1)).toBe(30_000);
  });

  it("hands on the server's message for a refusal, without retrying it", async () => {
    const server = fakeServer({ 'POST /api/rounds/x/guess': { status: 410, body: { statusCode: 410, error: 'Gone', message: 'This round expired.' } } });
    const error = await request('/api/rounds/x/guess', { method: 'POST', body: { guess: 'human' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 410, message: 'This round expired.', transient: false });
    expect(server.calls).toHaveLength(1);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import type { HttpResponse, HttpTransport } from '../../transport/http-transport.js';
import { SourceError } from '../source-errors.js';
import type { XAuth } from './x-config.js';
import { asSourceError, classifyXResponse } from './x-error.js';
import { at, str } from './x-json.js';

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * The credentials part of every request: a guest token fetched (and refreshed) on demand, or a
 * logged-in account's cookies. Also the proxy session key: a cookie account keeps one proxy so
 * X sees it from one place; a guest token is bound to the IP it was issued to, so a guest
 * session keeps one too (a random one per source, as guests have no identity of their own).
 */
export class XAuthSession {
  readonly sessionKey: string;
  private guestToken: Promise<string> | null = null;

  constructor(
    private readonly auth: XAuth,
    private readonly transport: HttpTransport,
    private readonly baseUrl: string,
    private readonly bearerToken: string,
    private readonly timeoutMs: number,
    sessionKey?: string,
  ) {
    // Hashed so a log line showing the key never shows the cookie.
    this.sessionKey =
      sessionKey ?? (auth.mode === 'cookie' ? `x:cookie:${shortHash(auth.authToken)}` : `x:guest:${randomUUID()}`);
  }

  get canRefresh(): boolean {
    return this.auth.mode === 'guest';
  }

  /** Headers that authenticate a request; activates a guest token first when there is none. */
  async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.bearerToken}` };
    if (this.auth.mode === 'cookie') {
      headers.cookie = `auth_token=${this.auth.authToken}; ct0=${this.auth.ct0}`;
      headers['x-csrf-token'] = this.auth.ct0;
      headers['x-twitter-auth-type'] = 'OAuth2Session';
      return headers;
    }
    // Shared, so concurrent first requests activate once.
    this.guestToken ??= this.activate();
    try {
      headers['x-guest-token'] = await this.guestToken;
    } catch (error) {
      this.guestToken = null;
      throw error;
    }
    return headers;
  }

  /** Drops the guest token so the next request activates a fresh one. */
  invalidate(): void {
    this.guestToken = null;
  }

  private async activate(): Promise<string> {
    let response: HttpResponse;
    try {
      response = await this.transport.request({
        method: 'POST',
        url: `${this.baseUrl}/1.1/guest/activate.json`,
        headers: { authorization: `Bearer ${this.bearerToken}` },
        sessionKey: this.sessionKey,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      throw asSourceError(error);
    }
    const problem = classifyXResponse(response);
    if (problem) throw problem;
    let token: string | null = null;
    try {
      token = str(at(JSON.parse(response.body), 'guest_token'));
    } catch {
      // handled below
    }
    if (!token) throw new SourceError('transient', 'guest activation answered without a guest_token', null, response.status);
    return token;
  }
}

import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/transport/http-transport.js';

/** Plain fetch, no proxy: how a source alone talks to a local fake. */
export class FetchTransport implements HttpTransport {
  readonly sent: HttpRequest[] = [];

  async request(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { status: response.status, headers, body: await response.text(), proxy: null };
  }
}

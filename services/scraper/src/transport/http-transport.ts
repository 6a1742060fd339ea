export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Requests with the same session key go out through the same proxy when it is healthy. */
  sessionKey?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The proxy the request went through (null when direct). */
  proxy: string | null;
}

/**
 * How sources reach the network: got-scraping (browser-like headers) through the proxy pool in
 * production, plain fetches to a local fake in tests of a source alone.
 */
export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
}

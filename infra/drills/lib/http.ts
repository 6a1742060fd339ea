import http from 'node:http';

export interface HttpResult {
  /** 0: no HTTP answer (connection refused or reset, or the client's timeout). */
  status: number;
  ms: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  raw: string;
  error?: string;
}

/** One request over a keep-alive agent; never throws (a failure is status 0 with its reason). */
export function request(
  agent: http.Agent,
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<HttpResult> {
  const t0 = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<HttpResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, ms: performance.now() - t0 });
    };
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (raw += d));
        res.on('end', () => {
          let parsed: unknown = raw;
          try {
            parsed = JSON.parse(raw);
          } catch {
            // not JSON
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, raw });
        });
        res.on('error', (e) => finish({ status: 0, headers: {}, body: null, raw: '', error: e.message }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (e) => finish({ status: 0, headers: {}, body: null, raw: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The `message` of a Nest error body, or the raw text. */
export function messageOf(r: HttpResult): string {
  if (r.error) return r.error;
  const b = r.body as { message?: unknown } | null;
  if (b && typeof b === 'object' && 'message' in b) return Array.isArray(b.message) ? b.message.join('; ') : String(b.message);
  return r.raw.slice(0, 200);
}

import http from 'node:http';

/** One request as sent on the wire: the path is written as it is (no URL normalisation). */
export interface FuzzRequest {
  /** The route it targets, as "METHOD /path/:param" (the tally groups by it). */
  route: string;
  /** Which generator made it (for the summary and a failure's replay). */
  kind: string;
  method: string;
  /** Path and query, already encoded (or deliberately mis-encoded). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Statuses it must get; any 4xx when absent. */
  expect?: number[];
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON, when it is. */
  json?: unknown;
  /** A transport failure instead of an answer (the server hung up). */
  error?: string;
}

const agents = new Map<string, http.Agent>();

function agentFor(base: string): http.Agent {
  let agent = agents.get(base);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(base, agent);
  }
  return agent;
}

/** Closes the keep-alive sockets of every fuzz request sent so far. */
export function closeFuzzAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/**
 * Sends one request with node:http, which (unlike fetch) lets a GET carry a body, keeps the
 * path's percent-escapes as written and sends any header. Resolves with the answer, or with
 * `error` when the connection failed before one came.
 */
export function sendRaw(base: string, req: FuzzRequest, timeoutMs = 15_000): Promise<FuzzResponse> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: FuzzResponse) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = Buffer.byteLength(req.body);
    let outgoing: http.ClientRequest;
    try {
      outgoing = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: agentFor(base), timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), error: e.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
    } catch (error) {
      // The client refused to send it (a header or path node:http will not write).
      done({ status: 0, headers: {}, text: '', error: `not sent: ${(error as Error).message}` });
      return;
    }
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // A server that answers before reading a large body may close the socket under the upload:
    // the answer, if it came, is what counts.
    outgoing.on('error', (e) => setTimeout(() => done({ status: 0, headers: {}, text: '', error: e.message }), 200));
    outgoing.end(req.body);
  });
}

/** What is wrong with an answer to a malformed request; empty when it is a proper refusal. */
export function problemsWith(req: FuzzRequest, res: FuzzResponse): string[] {
  const problems: string[] = [];
  if (res.error && !res.status) return [`no answer: ${res.error}`];
  if (req.expect ? !req.expect.includes(res.status) : res.status < 400 || res.status > 499) {
    problems.push(`status ${res.status}, expected ${req.expect ? req.expect.join(' or ') : '4xx'}`);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!/^application\/(problem\+)?json\b/i.test(type)) problems.push(`content-type "${type}", expected application/json`);
  if (res.json === undefined) {
    problems.push('body is not JSON');
  } else {
    const message = (res.json as { message?: unknown } | null)?.message;
    const ok =
      (typeof message === 'string' && message.trim().length > 0) ||
      (Array.isArray(message) && message.length > 0 && message.every((m) => typeof m === 'string' && m.trim().length > 0));
    if (!ok) problems.push('no message (a non-empty string or list of strings)');
    if (typeof message === 'string' && /\n\s+at [^\n]+:\d+:\d+|node_modules\//.test(message)) problems.push('message shows a stack trace');
  }
  return problems;
}

export interface FuzzFailure {
  index: number;
  request: FuzzRequest;
  status: number;
  problems: string[];
  answer: string;
}

/** Requests per route, statuses per route and overall, and the failures. */
export class FuzzTally {
  readonly perRoute = new Map<string, Map<number, number>>();
  readonly kinds = new Map<string, number>();
  readonly statuses = new Map<number, number>();
  readonly failures: FuzzFailure[] = [];
  sent = 0;

  record(index: number, req: FuzzRequest, res: FuzzResponse): string[] {
    this.sent++;
    const status = res.status;
    const route = this.perRoute.get(req.route) ?? new Map<number, number>();
    route.set(status, (route.get(status) ?? 0) + 1);
    this.perRoute.set(req.route, route);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const kind = req.kind.split(/[:@+]/)[0]!;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    const problems = problemsWith(req, res);
    if (problems.length) this.failures.push({ index, request: req, status, problems, answer: res.error ?? res.text.slice(0, 300) });
    return problems;
  }

  /** The summary printed after a run. */
  summary(title: string, seed: number, ms: number): string {
    const lines = [`${title}: ${this.sent} requests in ${(ms / 1000).toFixed(1)} s, seed ${seed} (replay with FUZZ_SEED=${seed})`];
    lines.push(`  statuses: ${histogram(this.statuses)}`);
    lines.push(`  generators: ${[...this.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    const width = Math.max(...[...this.perRoute.keys()].map((r) => r.length));
    for (const [route, counts] of [...this.perRoute].sort((a, b) => a[0].localeCompare(b[0]))) {
      const n = [...counts.values()].reduce((a, b) => a + b, 0);
      lines.push(`  ${route.padEnd(width)} ${String(n).padStart(5)}  ${histogram(counts)}`);
    }
    lines.push(`  failures: ${this.failures.length}`);
    for (const f of this.failures.slice(0, 40)) lines.push(`    ${describeFailure(f)}`);
    if (this.failures.length > 40) lines.push(`    … and ${this.failures.length - 40} more`);
    return lines.join('\n');
  }
}

function histogram(counts: Map<number, number>): string {
  return [...counts].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s || 'no answer'}×${n}`).join(' ');
}

export function describeFailure(f: FuzzFailure): string {
  const body = f.request.body === undefined ? '' : ` body ${excerpt(f.request.body)}`;
  const type = f.request.headers?.['content-type'] ? ` [${f.request.headers['content-type']}]` : '';
  return `#${f.index} ${f.request.kind}: ${f.request.method} ${excerpt(f.request.path)}${type}${body} → ${f.status}: ${f.problems.join('; ')} — ${f.answer}`;
}

function excerpt(value: string | Buffer): string {
  const text = typeof value === 'string' ? value : `<${value.length} bytes> ${value.subarray(0, 60).toString('hex')}`;
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 120)}…(${text.length} chars)` : text);
}

/**
 * Sends every request, `concurrency` at a time, records each answer in the tally, and calls
 * `between` every `every` requests (a health check). Resolves when all are answered.
 */
export async function runFuzz(
  base: string,
  requests: FuzzRequest[],
  options: { concurrency?: number; tally?: FuzzTally; every?: number; between?: (sent: number) => Promise<void> } = {},
): Promise<FuzzTally> {
  const tally = options.tally ?? new FuzzTally();
  const every = options.every ?? 500;
  let next = 0;
  let sinceCheck = 0;
  let pause: Promise<void> | null = null;
  const worker = async () => {
    for (;;) {
      if (pause) await pause;
      const index = next++;
      if (index >= requests.length) return;
      const req = requests[index]!;
      tally.record(index, req, await sendRaw(base, req));
      if (options.between && ++sinceCheck >= every) {
        sinceCheck = 0;
        pause = options.between(tally.sent).finally(() => (pause = null));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  if (pause) await pause;
  return tally;
}

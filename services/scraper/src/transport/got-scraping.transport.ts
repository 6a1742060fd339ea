import { Logger, type LoggerService } from '@nestjs/common';
import { gotScraping } from 'got-scraping';
import { SourceError } from '../sources/source-errors.js';
import { detectBan } from './ban-detection.js';
import { HostLimiter } from './host-limiter.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport.js';
import type { ProxyLease, ProxyPool } from './proxy-pool.js';

export interface GotScrapingTransportOptions {
  /** Leave out to go direct. */
  pool?: ProxyPool;
  /** Shared with other transports to the same hosts; a private one (2 per host) when left out. */
  hostLimiter?: HostLimiter;
  /** Whole request, connect to last byte, unless the request says otherwise. */
  timeoutMs?: number;
  /** Aborts waits for a proxy or a host slot on shutdown. */
  signal?: AbortSignal;
  logger?: Pick<LoggerService, 'log' | 'warn' | 'debug'>;
}

export interface TransportStats {
  requests: number;
  byStatusClass: Record<string, number>;
  errorsByCode: Record<string, number>;
  bansByReason: Record<string, number>;
}

/** Error codes that mean the connection itself failed, as Node and got name them. */
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // Set-Cookie values may hold commas themselves, so they are kept apart by line breaks.
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(name.toLowerCase() === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

/**
 * The production transport: got-scraping's browser-like headers and TLS, through the proxy pool,
 * at most a few requests per host at once. It never retries: whether and when to try again is the
 * scheduler's call, made from the classified outcome. What it does decide is the proxy's fate: a
 * Cloudflare page or a reset connection benches the proxy, a normal answer clears it.
 */
export class GotScrapingTransport implements HttpTransport {
  private readonly pool: ProxyPool | null;
  private readonly hostLimiter: HostLimiter;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'debug'>;
  /** Same session, same generated browser headers: a fingerprint that changes every request looks like a bot. */
  private readonly headerSessions = new Map<string, object>();
  private readonly counters: TransportStats = { requests: 0, byStatusClass: {}, errorsByCode: {}, bansByReason: {} };

  constructor(options: GotScrapingTransportOptions = {}) {
    this.pool = options.pool ?? null;
    this.hostLimiter = options.hostLimiter ?? new HostLimiter();
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.signal = options.signal;
    this.logger = options.logger ?? new Logger(GotScrapingTransport.name);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const host = new URL(request.url).host;
    const lease = this.pool ? await this.pool.acquire({ sessionKey: request.sessionKey, signal: this.signal }) : null;
    return this.hostLimiter.run(host, () => this.send(request, lease), this.signal);
  }

  stats(): TransportStats {
    return structuredClone(this.counters);
  }

  private async send(request: HttpRequest, lease: ProxyLease | null): Promise<HttpResponse> {
    this.counters.requests++;
    const proxy = lease?.id ?? null;
    let response;
    try {
      response = await gotScraping({
        url: request.url,
        method: request.method,
        headers: { ...lease?.headers, ...request.headers },
        body: request.body,
        proxyUrl: lease?.proxyUrl,
        sessionToken: request.sessionKey === undefined ? undefined : this.headerSession(request.sessionKey),
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: request.timeoutMs ?? this.timeoutMs },
        signal: this.signal,
      });
    } catch (err) {
      throw this.failed(err, request, lease);
    }
    const headers = flatten(response.headers);
    const body = response.body;
    const status = response.statusCode;
    const statusClass = `${Math.floor(status / 100)}xx`;
    this.counters.byStatusClass[statusClass] = (this.counters.byStatusClass[statusClass] ?? 0) + 1;

    const ban = detectBan(status, headers, body);
    if (ban) {
      this.counters.bansByReason[ban] = (this.counters.bansByReason[ban] ?? 0) + 1;
      this.logger.warn({ msg: 'blocked by the site', url: request.url, status, reason: ban, proxy });
      if (lease) this.pool!.reportBan(lease.id, ban);
    } else if (lease) {
      if (status === 407) this.pool!.reportFailure(lease.id, 'proxy_auth_407');
      // 429 is the account's or endpoint's budget, 5xx the site's trouble: neither says anything about the proxy.
      else if (status !== 429 && status < 500) this.pool!.reportSuccess(lease.id);
    }
    this.logger.debug?.({ msg: 'response', method: request.method, url: request.url, status, proxy });
    return { status, headers, body, proxy };
  }

  /** Tells the pool what the failure says about the proxy, and turns it into a classified error. */
  private failed(err: unknown, request: HttpRequest, lease: ProxyLease | null): unknown {
    if (this.signal?.aborted) return err;
    const e = err as { code?: string; message?: string };
    const code = e.code ?? 'UNKNOWN';
    this.counters.errorsByCode[code] = (this.counters.errorsByCode[code] ?? 0) + 1;
    const where = lease ? ` through ${lease.id}` : '';
    this.logger.warn({ msg: 'request failed', url: request.url, code, error: e.message, proxy: lease?.id ?? null });
    if (lease && RESET.has(code)) {
      // A site that drops us mid-request through a proxy it has seen before is blocking that IP.
      this.pool!.reportBan(lease.id, 'connection_reset');
      return new SourceError('proxy_banned', `${request.url}: connection reset${where}`, null, null);
    }
    if (lease && (REFUSED.has(code) || /proxy|tunnel/i.test(e.message ?? ''))) {
      // A proxy that will not take the connection may only be restarting: benched after a few in a row.
      this.pool!.reportFailure(lease.id, REFUSED.has(code) ? 'connection_refused' : 'proxy_error');
      return new SourceError('proxy_banned', `${request.url}: ${code} ${e.message ?? ''}${where}`.trim(), null, null);
    }
    if (lease && TIMEOUT.has(code)) this.pool!.reportFailure(lease.id, 'timeout');
    return new SourceError('transient', `${request.url}: ${code} ${e.message ?? ''}${where}`.trim(), null, null);
  }

  private headerSession(key: string): object {
    let token = this.headerSessions.get(key);
    if (!token) {
      token = {};
      this.headerSessions.set(key, token);
    }
    return token;
  }
}

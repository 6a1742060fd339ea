import { Logger, type LoggerService } from '@nestjs/common';
import { systemClock, type Clock } from './clock.js';

export interface HostLimiterOptions {
  /** Requests in flight to one host at most (a browser-like client does not open 20 at once). */
  maxPerHost?: number;
  /** Least time between two request starts to one host. */
  minIntervalMs?: number;
  clock?: Clock;
  logger?: Pick<LoggerService, 'debug'>;
}

export interface HostLimiterStats {
  inFlight: Record<string, number>;
  queued: Record<string, number>;
  /** Requests that had to wait for a free slot. */
  queuedTotal: number;
}

interface HostState {
  inFlight: number;
  queue: Array<() => void>;
  nextStartAt: number;
}

/** Per host: at most N requests in flight, first come first served, optionally spaced out. */
export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();
  private readonly maxPerHost: number;
  private readonly minIntervalMs: number;
  private readonly clock: Clock;
  private readonly logger: Pick<LoggerService, 'debug'>;
  private queuedTotal = 0;

  constructor(options: HostLimiterOptions = {}) {
    this.maxPerHost = options.maxPerHost ?? 2;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(HostLimiter.name);
    if (this.maxPerHost < 1) throw new Error('HostLimiter: maxPerHost must be at least 1');
  }

  /** Runs fn once the host has a free slot, and frees it however fn ends. */
  async run<T>(host: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(host, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const h = this.state(host);
    if (h.inFlight >= this.maxPerHost) {
      this.queuedTotal++;
      this.logger.debug?.({ msg: 'host busy, request queued', host, inFlight: h.inFlight, queued: h.queue.length + 1 });
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          h.queue.splice(h.queue.indexOf(grant), 1);
          reject(signal!.reason);
        };
        h.queue.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      // release() handed its slot straight to us, so inFlight already counts this request.
    } else {
      h.inFlight++;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = h.queue.shift();
      if (next) next();
      else h.inFlight--;
      if (h.inFlight === 0 && h.queue.length === 0 && h.nextStartAt <= this.clock.now()) this.hosts.delete(host);
    };
    if (this.minIntervalMs > 0) {
      const now = this.clock.now();
      const startAt = Math.max(now, h.nextStartAt);
      h.nextStartAt = startAt + this.minIntervalMs;
      try {
        if (startAt > now) await this.clock.sleep(startAt - now, signal);
      } catch (err) {
        release();
        throw err;
      }
    }
    return release;
  }

  stats(): HostLimiterStats {
    const inFlight: Record<string, number> = {};
    const queued: Record<string, number> = {};
    for (const [host, h] of this.hosts) {
      inFlight[host] = h.inFlight;
      queued[host] = h.queue.length;
    }
    return { inFlight, queued, queuedTotal: this.queuedTotal };
  }

  private state(host: string): HostState {
    let h = this.hosts.get(host);
    if (!h) {
      h = { inFlight: 0, queue: [], nextStartAt: 0 };
      this.hosts.set(host, h);
    }
    return h;
  }
}

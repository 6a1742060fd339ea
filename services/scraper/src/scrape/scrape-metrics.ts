import { Counter, Gauge, type Registry } from 'prom-client';
import type { TimelineSources } from './timeline-sources.js';

/**
 * What the scraper decided and saw, for Prometheus: pages and tweets, rate-limit waits and
 * yields, failures by kind, and the transport's and proxy pool's own counts read at scrape time.
 */
export class ScrapeMetrics {
  readonly pages: Counter<'platform'>;
  readonly tweetsInserted: Counter<'platform'>;
  readonly rateLimitDecisions: Counter<'platform' | 'decision'>;
  readonly failures: Counter<'platform' | 'kind'>;

  constructor(registry: Registry, timeline: TimelineSources) {
    this.pages = new Counter({ name: 'scrape_pages_total', help: 'Timeline pages fetched and stored', labelNames: ['platform'], registers: [registry] });
    this.tweetsInserted = new Counter({ name: 'scrape_tweets_inserted_total', help: 'Tweets new to the store', labelNames: ['platform'], registers: [registry] });
    this.rateLimitDecisions = new Counter({
      name: 'scrape_rate_limit_decisions_total',
      help: 'Spent or exceeded rate-limit windows, by what the scheduler did (wait in place, or yield the worker)',
      labelNames: ['platform', 'decision'],
      registers: [registry],
    });
    this.failures = new Counter({ name: 'scrape_failures_total', help: 'Requests that failed, by kind', labelNames: ['platform', 'kind'], registers: [registry] });
    new Gauge({
      name: 'scrape_http_requests',
      help: 'HTTP requests the scraper sent, by status class (cumulative)',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        for (const [status, n] of Object.entries(timeline.transport.stats().byStatusClass)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'scrape_proxy_bans',
      help: 'Proxy bans seen, by reason (cumulative)',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        for (const [reason, n] of Object.entries(timeline.transport.stats().bansByReason)) this.set({ reason }, n);
      },
    });
    new Gauge({
      name: 'scrape_proxies',
      help: 'Proxies in the pool, by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const stats = timeline.pool?.stats();
        this.set({ state: 'healthy' }, stats?.healthy ?? 0);
        this.set({ state: 'cooling_down' }, stats?.coolingDown ?? 0);
      },
    });
  }
}

import { BlueskySource } from '../sources/bluesky/bluesky.source.js';
import type { TimelineSource } from '../sources/timeline-source.js';
import { XGraphqlSource } from '../sources/x/x-graphql.source.js';
import { GotScrapingTransport } from '../transport/got-scraping.transport.js';
import { HostLimiter } from '../transport/host-limiter.js';
import { ProxyPool } from '../transport/proxy-pool.js';
import { RateWindow } from '../transport/rate-window.js';
import type { Config } from '../config.js';

export interface TimelineSources {
  sources: Partial<Record<'x' | 'bluesky', TimelineSource>>;
  transport: GotScrapingTransport;
  pool: ProxyPool | null;
}

/** The platforms this scraper can read, as the environment configures them. */
export function timelineSources(config: Config): TimelineSources {
  const pool = config.SCRAPOXY_URL
    ? new ProxyPool({ scrapoxy: { url: config.SCRAPOXY_URL, proxyNames: config.SCRAPOXY_PROXY_NAMES ?? ['default'] } }, { coolDownMs: config.PROXY_COOL_DOWN_MS })
    : config.PROXY_URLS?.length
      ? new ProxyPool({ proxies: config.PROXY_URLS }, { coolDownMs: config.PROXY_COOL_DOWN_MS })
      : null;
  const transport = new GotScrapingTransport({ pool: pool ?? undefined, hostLimiter: new HostLimiter() });
  const sources: TimelineSources['sources'] = {
    bluesky: new BlueskySource({ transport, baseUrl: config.BLUESKY_BASE_URL, rateWindow: new RateWindow() }),
  };
  // X needs its web client's bearer token; without one, X accounts fail with a message saying so.
  if (config.X_BEARER_TOKEN) {
    sources.x = new XGraphqlSource(transport, {
      bearerToken: config.X_BEARER_TOKEN,
      queryIds: config.X_QUERY_IDS,
      features: config.X_FEATURES,
      baseUrl: config.X_BASE_URL,
      auth: config.X_AUTH_TOKEN && config.X_CT0 ? { mode: 'cookie', authToken: config.X_AUTH_TOKEN, ct0: config.X_CT0 } : { mode: 'guest' },
    });
  }
  return { sources, transport, pool };
}

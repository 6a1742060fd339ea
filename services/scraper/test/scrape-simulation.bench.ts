// Time-compressed scheduling run against the fake X server: N accounts walk endless timelines
// through M proxies, sharing one identity's UserTweets budget, with X's 15-minute window
// compressed to WINDOW_S seconds. Prints the share of the allowed budget the walks used and
// the 429s they collected. `npm run bench:scrape` (needs the migrated test database).
import { createTestDatabase } from '@ttt/db/testing';
import pg from 'pg';
import { scrapeAccount } from '../src/scrape/scrape-account.js';
import { ScrapeRepository } from '../src/scrape/scrape.repository.js';
import { XGraphqlSource } from '../src/sources/x/x-graphql.source.js';
import type { Clock } from '../src/transport/clock.js';
import { GotScrapingTransport } from '../src/transport/got-scraping.transport.js';
import type { HttpTransport } from '../src/transport/http-transport.js';
import { HostLimiter } from '../src/transport/host-limiter.js';
import { ProxyPool } from '../src/transport/proxy-pool.js';
import { startForwardingProxy } from './transport/forwarding-proxy.js';
import { FAKE_BEARER, FAKE_QUERY_IDS, FakeXServer } from './x/fake-x-server.js';

const ACCOUNTS = 6;
const PROXIES = 3;
const WINDOW_S = 10;
const WINDOWS = 3;
const BUDGET = 30;
const quiet = { log() {}, warn() {}, debug() {} };

class TimeUp extends Error {}

const handles = Array.from({ length: ACCOUNTS }, (_, i) => `account_${i}`);
const x = await FakeXServer.start({ pages: 1_000_000, handles, budget: BUDGET, windowS: WINDOW_S });
const proxies = await Promise.all(Array.from({ length: PROXIES }, (_, i) => startForwardingProxy(`proxy-${i}`)));
const db = await createTestDatabase();
const pool = new pg.Pool({ connectionString: db.url, max: ACCOUNTS + 2 });
const { rows } = await pool.query(`INSERT INTO categories (slug, name, updated_at) VALUES ('sim', 'Simulation', now()) RETURNING id`);
const ids: number[] = [];
for (const handle of handles) {
  const r = await pool.query(`INSERT INTO source_accounts (platform, handle, category_id, updated_at) VALUES ('x', $1, $2, now()) RETURNING id`, [handle, rows[0].id]);
  ids.push(r.rows[0].id);
}

// The run lasts exactly WINDOWS of the server's windows, the first one learnt from the first
// timeline answer; after that nothing is sent.
let deadline = Number.POSITIVE_INFINITY;
const inner = new GotScrapingTransport({
  pool: new ProxyPool({ proxies: proxies.map((p) => p.url) }, { logger: quiet }),
  hostLimiter: new HostLimiter({ maxPerHost: 4, logger: quiet }),
  logger: quiet,
});
const transport: HttpTransport = {
  request: async (request) => {
    if (Date.now() >= deadline) throw new TimeUp();
    const response = await inner.request(request);
    if (request.url.includes('/UserTweets') && deadline === Number.POSITIVE_INFINITY) {
      deadline = Number(response.headers['x-rate-limit-reset']) * 1000 + (WINDOWS - 1) * WINDOW_S * 1000;
    }
    return response;
  },
};
const clock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    const until = Date.now() + ms;
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(until, deadline) - Date.now())));
    if (Date.now() >= deadline) throw new TimeUp();
  },
};
const source = new XGraphqlSource(transport, {
  bearerToken: FAKE_BEARER,
  queryIds: FAKE_QUERY_IDS,
  features: {},
  baseUrl: x.baseUrl,
  auth: { mode: 'guest' },
});
const repo = new ScrapeRepository(pool);
const started = Date.now();
const outcomes = await Promise.allSettled(
  ids.map((id) => scrapeAccount({ repo, sources: { x: source }, clock, maxWaitMs: WINDOW_S * 1000, maxPages: 1_000_000, pageAttempts: 4, log: () => {} }, id, undefined)),
);
const broken = outcomes.filter((o) => o.status === 'rejected' && !(o.reason instanceof TimeUp));
for (const b of broken) process.stderr.write(`a walk failed: ${(b as PromiseRejectedResult).reason}\n`);
const seconds = (Date.now() - started) / 1000;
const used = x.requests.filter((r) => r.endpoint === 'UserTweets' && r.status === 200).length;
const tooMany = x.requests.filter((r) => r.status === 429).length;
const allowed = BUDGET * WINDOWS;
const through = proxies.map((p) => p.seen.length);
process.stdout.write(
  `${ACCOUNTS} accounts, ${PROXIES} proxies, one identity: ${BUDGET} UserTweets requests per window, ` +
    `15-minute windows compressed to ${WINDOW_S} s (${(900 / WINDOW_S).toFixed(0)}×), ${WINDOWS} windows (${seconds.toFixed(1)} s)\n` +
    `budget used: ${used} of ${allowed} = ${((100 * used) / allowed).toFixed(1)}% (goal ≥ 90%); 429s: ${tooMany} (goal 0); ` +
    `requests per proxy: ${through.join(', ')} (one identity sticks to one proxy while it stays healthy)\n`,
);
await pool.end();
await db.drop();
await x.close();
await Promise.all(proxies.map((p) => p.close()));
process.exit(used >= 0.9 * allowed && tooMany === 0 && broken.length === 0 ? 0 : 1);

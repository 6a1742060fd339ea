import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry } from '@ttt/observability';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// The Grafana dashboard and the Prometheus and Grafana configuration of compose's observability
// profile. Every metric a PromQL expression names must be one the code registers: found by
// scanning services/*/src and libs/*/src for prom-client constructors (`new Counter({ name:
// '...', labelNames: [...] })`), plus prom-client's default metrics as libs/observability
// registers them. Label matchers, `by (...)` labels and legends are checked against the labels
// those metrics carry. docs/deploy-docker.md.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (...parts: string[]) => readFileSync(join(root, ...parts), 'utf8');

// ---------------------------------------------------------------------------------------------
// What the code registers

type MetricType = 'Counter' | 'Gauge' | 'Histogram' | 'Summary';
interface Registered {
  type: MetricType;
  labels: string[];
  where: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', 'generated', 'test'].includes(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** The object literal passed to `new Counter(` etc., by brace matching from its opening `{`. */
function objectAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

function registeredInSources(): Map<string, Registered> {
  const found = new Map<string, Registered>();
  const roots = ['services', 'libs'].flatMap((top) =>
    readdirSync(join(root, top)).map((p) => join(root, top, p, 'src')).filter((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory()),
  );
  for (const file of roots.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new\s+(Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\s*\(\s*\{/g)) {
      const body = objectAt(text, m.index + m[0].length - 1);
      const name = /\bname:\s*(['"`])([a-zA-Z_:][a-zA-Z0-9_:]*)\1/.exec(body)?.[2];
      if (!name) continue;
      const labels = [.../\blabelNames:\s*\[([^\]]*)\]/.exec(body)?.[1].matchAll(/['"`]([a-zA-Z_][a-zA-Z0-9_]*)['"`]/g) ?? []].map((l) => l[1]);
      found.set(name, { type: m[1] as MetricType, labels, where: relative(root, file) });
    }
  }
  return found;
}

/** prom-client's default metrics, as every service's registry has them. */
function defaultMetrics(): Map<string, Registered> {
  const registry = createMetricsRegistry('probe');
  const out = new Map<string, Registered>();
  for (const metric of registry.getMetricsAsArray() as unknown as { name: string; labelNames?: string[]; constructor: { name: string } }[]) {
    out.set(metric.name, { type: metric.constructor.name as MetricType, labels: metric.labelNames ?? [], where: 'prom-client collectDefaultMetrics (libs/observability)' });
  }
  return out;
}

const fromSources = registeredInSources();
const registered = new Map([...defaultMetrics(), ...fromSources]);
/** Labels every series has: the registry's default label, and Prometheus's target labels. */
const COMMON_LABELS = ['service', 'job', 'instance'];
/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = new Map<string, Registered>(
  ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'].map((n) => [n, { type: 'Gauge', labels: [], where: 'Prometheus' }]),
);

/** The metric a series name belongs to, and the labels it carries. */
function lookup(series: string): { labels: string[]; where: string } | undefined {
  const exact = registered.get(series) ?? PROMETHEUS_SERIES.get(series);
  if (exact) return { labels: [...exact.labels, ...(exact.type === 'Summary' ? ['quantile'] : [])], where: exact.where };
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  const base = m && registered.get(m[1]);
  if (!base || (base.type !== 'Histogram' && base.type !== 'Summary') || (m[2] === 'bucket' && base.type !== 'Histogram')) return undefined;
  return { labels: [...base.labels, ...(m[2] === 'bucket' ? ['le'] : [])], where: base.where };
}

// ---------------------------------------------------------------------------------------------
// PromQL, as far as names and labels go

interface Selector {
  metric: string;
  labels: string[];
}
interface Parsed {
  selectors: Selector[];
  /** Labels in by / without / on / ignoring / group_left / group_right lists. */
  grouping: string[];
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan', 'atan2']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

function tokenize(expr: string): string[] {
  // Grafana's variables: $__rate_interval in a range, $edition in a string.
  const text = expr.replace(/\$__\w+/g, '5m').replace(/\$\{?\w+\}?/g, 'x');
  const tokens: string[] = [];
  const re = /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[a-zA-Z_:][a-zA-Z0-9_:]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?[smhdwy]?|=~|!~|!=|==|>=|<=|[{}()[\],=<>+\-*/%^@]/gy;
  for (let m; re.lastIndex < text.length && (m = re.exec(text)); ) if (m[0].trim()) tokens.push(m[0]);
  if (re.lastIndex < text.length) throw new Error(`cannot read PromQL at "${text.slice(re.lastIndex)}" in ${expr}`);
  return tokens;
}

function parsePromQL(expr: string): Parsed {
  const tokens = tokenize(expr);
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const isIdent = (t: string | undefined) => !!t && /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(t);
  const matchers = (i: number): [string[], number] => {
    const labels: string[] = [];
    for (i++; tokens[i] !== '}'; i++) {
      if (isIdent(tokens[i]) && ['=', '!=', '=~', '!~'].includes(tokens[i + 1])) labels.push(tokens[i]);
      if (i >= tokens.length) throw new Error(`unclosed { in ${expr}`);
    }
    return [labels, i];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '[') {
      while (tokens[i] !== ']') i++;
    } else if (GROUPING.has(t) && tokens[i + 1] === '(') {
      for (i += 2; tokens[i] !== ')'; i++) if (isIdent(tokens[i])) grouping.push(tokens[i]);
    } else if (t === 'label_values' && tokens[i + 1] === '(') {
      // label_values(metric{...}, label): a Grafana variable query.
      const metric = tokens[i + 2];
      let j = i + 3;
      let labels: string[] = [];
      if (tokens[j] === '{') [labels, j] = matchers(j), j++;
      if (tokens[j] === ',') grouping.push(tokens[j + 1]);
      selectors.push({ metric, labels: [...labels, tokens[j + 1]].filter(Boolean) });
      while (tokens[i] !== ')') i++;
    } else if (t === '{') {
      throw new Error(`a selector without a metric name in ${expr}`);
    } else if (isIdent(t) && !KEYWORDS.has(t) && tokens[i + 1] !== '(' && !GROUPING.has(tokens[i + 1])) {
      // (An identifier before by/without is an aggregation: `sum by (x) (...)`.)
      let labels: string[] = [];
      if (tokens[i + 1] === '{') [labels, i] = matchers(i + 1);
      selectors.push({ metric: t, labels });
    }
  }
  return { selectors, grouping };
}

// ---------------------------------------------------------------------------------------------
// The dashboard

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { type: string; name: string; query: string | { query: string }; datasource?: { type: string; uid: string } }[] };
}

const dashboardFiles = readdirSync(join(root, 'infra/grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((file) => ({ file, dashboard: JSON.parse(read('infra/grafana/dashboards', file)) as Dashboard }));
const allPanels = (d: Dashboard) => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every PromQL expression of a dashboard, where it is. */
function expressions(d: Dashboard): { where: string; expr: string; legend?: string }[] {
  const out: { where: string; expr: string; legend?: string }[] = [];
  for (const panel of allPanels(d)) {
    for (const t of panel.targets ?? []) out.push({ where: `panel "${panel.title}" ${t.refId}`, expr: t.expr, legend: t.legendFormat });
  }
  for (const v of d.templating.list) {
    if (v.type === 'query') out.push({ where: `variable $${v.name}`, expr: typeof v.query === 'string' ? v.query : v.query.query });
  }
  return out;
}

describe('the PromQL reader these checks rest on', () => {
  it('finds metrics, matcher labels and grouping labels', () => {
    const parsed = parsePromQL(
      'histogram_quantile(0.99, sum by (le, model) (rate(tgi_request_duration_bucket{model=~"$model"}[$__rate_interval]))) / on (model) group_left up + max without (x) (foo)',
    );
    expect(parsed.selectors).toEqual([
      { metric: 'tgi_request_duration_bucket', labels: ['model'] },
      { metric: 'up', labels: [] },
      { metric: 'foo', labels: [] },
    ]);
    expect(parsed.grouping).toEqual(['le', 'model', 'model', 'x']);
    expect(parsePromQL('label_values(ttt_game_rounds_total, edition)').selectors).toEqual([{ metric: 'ttt_game_rounds_total', labels: ['edition'] }]);
  });

  it('finds the metrics the services register, with their labels', () => {
    expect(fromSources.get('ttt_game_guesses_total')).toMatchObject({ type: 'Counter', labels: ['edition', 'truth', 'correct'] });
    expect(fromSources.get('tgi_request_duration')).toMatchObject({ type: 'Histogram', labels: ['model'] });
    expect(fromSources.get('scrape_proxy_bans')).toMatchObject({ type: 'Gauge', labels: ['reason'] });
    expect(lookup('tgi_request_duration_bucket')?.labels).toEqual(['model', 'le']);
    expect(lookup('process_cpu_seconds_total')).toBeDefined();
    expect(lookup('tgi_request_success_bucket')).toBeUndefined();
    expect(lookup('ttt_no_such_metric')).toBeUndefined();
  });
});

describe.each(dashboards)('infra/grafana/dashboards/$file', ({ dashboard }) => {
  it('is a current Grafana dashboard with a Prometheus data source variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) expect(v.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  it('gives every panel a query on that data source, and lays panels out without overlap', () => {
    const panels = allPanels(dashboard).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const p of panels) {
      if (!p.targets?.length) problems.push(`"${p.title}" has no target`);
      for (const t of p.targets ?? []) {
        if (!t.expr?.trim()) problems.push(`"${p.title}" ${t.refId} has no expression`);
        if (t.datasource?.uid !== '${datasource}') problems.push(`"${p.title}" ${t.refId} is not on $datasource`);
      }
      if (p.datasource?.uid !== '${datasource}') problems.push(`"${p.title}" is not on $datasource`);
      if (p.gridPos.x + p.gridPos.w > 24) problems.push(`"${p.title}" is wider than the grid`);
    }
    const ids = allPanels(dashboard).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = allPanels(dashboard);
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) {
        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
        if (overlap) problems.push(`"${a.title}" overlaps "${b.title}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('queries only metrics the code registers, by labels they have', () => {
    const problems: string[] = [];
    for (const { where, expr, legend } of expressions(dashboard)) {
      let parsed: Parsed;
      try {
        parsed = parsePromQL(expr);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
        continue;
      }
      const known: string[] = [...COMMON_LABELS];
      for (const { metric, labels } of parsed.selectors) {
        const found = lookup(metric);
        if (!found) {
          problems.push(`${where}: ${metric} is not registered by any service (services/*/src, libs/*/src) nor a default metric`);
          continue;
        }
        known.push(...found.labels);
        for (const l of labels) if (![...COMMON_LABELS, ...found.labels].includes(l)) problems.push(`${where}: ${metric} has no label ${l} (${found.where})`);
      }
      if (parsed.selectors.some(({ metric }) => !lookup(metric))) continue;
      for (const l of parsed.grouping) if (!known.includes(l)) problems.push(`${where}: groups by ${l}, which none of its metrics has`);
      // A legend can only name labels the result keeps.
      if (legend && parsed.grouping.length) {
        for (const [, l] of legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) if (!parsed.grouping.includes(l)) problems.push(`${where}: legend {{${l}}} is not among its by (...) labels`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows what the game, generation, queues, scraper and processes need', () => {
    const used = new Set(expressions(dashboard).flatMap(({ expr }) => parsePromQL(expr).selectors.map((s) => s.metric.replace(/_(bucket|sum|count)$/, ''))));
    const wanted = [
      'ttt_game_rounds_total', 'ttt_game_guesses_total', 'ttt_game_rounds_unavailable_total', 'ttt_game_round_deal_seconds',
      'tgi_request_generated_tokens', 'tgi_request_success', 'tgi_request_duration', 'tgi_request_mean_time_per_token_duration', 'tgi_queue_size', 'tgi_batch_current_size',
      'ttt_pool_generated_accepted_total', 'ttt_pool_generated_rejected_total',
      'ttt_queue_jobs',
      'scrape_proxy_bans', 'scrape_failures_total', 'scrape_rate_limit_decisions_total', 'scrape_pages_total',
      'process_cpu_seconds_total', 'process_resident_memory_bytes',
    ];
    expect(wanted.filter((m) => !used.has(m))).toEqual([]);
    // The fool rate: machine guesses judged wrong over machine guesses.
    const fool = expressions(dashboard).filter(({ where }) => /fool rate/i.test(where));
    expect(fool.length).toBeGreaterThanOrEqual(2);
    for (const { expr } of fool) expect(expr.replace(/\s+/g, '')).toMatch(/ttt_game_guesses_total\{truth="machine",correct="false".*\/.*ttt_game_guesses_total\{truth="machine",/);
    // Several game-api replicas export the same queue figures.
    for (const { expr } of expressions(dashboard).filter(({ expr }) => expr.includes('ttt_queue_jobs'))) expect(expr).toMatch(/max by \(queue, state\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Prometheus and Grafana provisioning for docker-compose's observability profile

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  dns_sd_configs?: { names: string[]; type?: string; port?: number; refresh_interval?: string }[];
  [key: string]: unknown;
}
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, { build?: { dockerfile?: string }; command?: unknown; environment?: Record<string, string>; volumes?: string[]; profiles?: string[] }>;
};
/** Compose services that run one of ours, with their port. */
const scraped = Object.entries(compose.services)
  .filter(([, s]) => s.build?.dockerfile?.startsWith('infra/docker/') && !s.command)
  .map(([name, s]) => ({ name, port: Number(s.environment?.PORT) }));

function checkPrometheus(file: string): { jobs: ScrapeConfig[]; problems: string[] } {
  const config = parseYaml(read('infra/prometheus', file)) as { global?: Record<string, unknown>; scrape_configs: ScrapeConfig[] };
  const problems: string[] = [];
  const GLOBAL = ['scrape_interval', 'scrape_timeout', 'evaluation_interval', 'external_labels', 'query_log_file'];
  const JOB = ['job_name', 'static_configs', 'dns_sd_configs', 'metrics_path', 'scheme', 'scrape_interval', 'scrape_timeout', 'honor_labels', 'relabel_configs', 'metric_relabel_configs'];
  const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
  for (const [k, v] of Object.entries(config.global ?? {})) {
    if (!GLOBAL.includes(k)) problems.push(`global.${k}`);
    if (k.endsWith('interval') && !DURATION.test(String(v))) problems.push(`global.${k}: ${v}`);
  }
  const names = config.scrape_configs.map((j) => j.job_name);
  if (new Set(names).size !== names.length) problems.push('job names repeat');
  for (const job of config.scrape_configs) {
    for (const k of Object.keys(job)) if (!JOB.includes(k)) problems.push(`${job.job_name}.${k}`);
    for (const sc of job.static_configs ?? []) for (const t of sc.targets) if (!/^[\w.-]+:\d+$/.test(t)) problems.push(`${job.job_name}: target ${t}`);
    for (const dns of job.dns_sd_configs ?? []) {
      if (!dns.names?.length || (dns.type ?? 'SRV') !== 'A' || !dns.port) problems.push(`${job.job_name}: dns_sd_configs needs names, type A and a port`);
      if (dns.refresh_interval && !DURATION.test(dns.refresh_interval)) problems.push(`${job.job_name}: refresh_interval ${dns.refresh_interval}`);
    }
  }
  return { jobs: config.scrape_configs, problems };
}

describe('infra/prometheus', () => {
  it('prometheus.yml scrapes every compose service on its port, by its compose name', () => {
    const { jobs, problems } = checkPrometheus('prometheus.yml');
    expect(problems).toEqual([]);
    expect(scraped.length).toBeGreaterThanOrEqual(5);
    const targets = jobs.flatMap((j) => (j.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)));
    expect(scraped.map(({ name, port }) => `${name}:${port}`).filter((t) => !targets.includes(t))).toEqual([]);
    // Targets are compose services, nothing else.
    expect(targets.filter((t) => !scraped.some(({ name, port }) => `${name}:${port}` === t))).toEqual([]);
    // The compose file mounts it where Prometheus reads it.
    expect(compose.services.prometheus.volumes).toContain('./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('prometheus.local.yml scrapes the services of `npm start` on this machine', () => {
    const { jobs, problems } = checkPrometheus('prometheus.local.yml');
    expect(problems).toEqual([]);
    const targets = jobs.flatMap((j) => (j.static_configs ?? []).flatMap((s) => s.targets)).sort();
    expect(targets).toEqual([3000, 3001, 3002, 3003, 3004].map((p) => `127.0.0.1:${p}`));
  });
});

describe('infra/grafana/provisioning', () => {
  const grafana = compose.services.grafana;
  const mountOf = (source: string) => grafana.volumes?.find((v) => v.startsWith(`${source}:`))?.split(':')[1];

  it('points Grafana at compose\'s Prometheus', () => {
    const files = readdirSync(join(root, 'infra/grafana/provisioning/datasources'));
    const sources = files.flatMap((f) => (parseYaml(read('infra/grafana/provisioning/datasources', f)) as { apiVersion: number; datasources: { type: string; url: string; uid: string }[] }).datasources);
    const prometheus = sources.find((s) => s.type === 'prometheus');
    expect(prometheus?.url).toBe('http://prometheus:9090');
    expect(compose.services.prometheus.profiles).toEqual(grafana.profiles);
    expect(mountOf('./infra/grafana/provisioning')).toBe('/etc/grafana/provisioning');
  });

  it('loads the dashboards from the folder compose mounts', () => {
    const providers = readdirSync(join(root, 'infra/grafana/provisioning/dashboards')).flatMap(
      (f) => (parseYaml(read('infra/grafana/provisioning/dashboards', f)) as { apiVersion: number; providers: { type: string; options: { path: string } }[] }).providers,
    );
    const mounted = mountOf('./infra/grafana/dashboards');
    expect(mounted).toBeDefined();
    expect(providers.some((p) => p.type === 'file' && p.options.path === mounted)).toBe(true);
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(home && posix.dirname(home)).toBe(mounted);
    expect(dashboardFiles).toContain(posix.basename(home!));
  });
});

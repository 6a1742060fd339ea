import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';
import type { FuzzRequest } from './http.js';
import { isValid, type JsonSchema } from './json-schema.js';
import {
  brokenJson,
  hugeJson,
  mutateBody,
  nastyString,
  parseJson,
  randomJsonValue,
  randomString,
  toJsonText,
  validExample,
  WRONG_CONTENT_TYPES,
  wrongShapeJson,
} from './malformed.js';
import type { Rng } from './prng.js';

/** A route of the app as its router knows it: "POST /api/rounds/:id/guess". */
export interface RouteKey {
  method: string;
  path: string;
}

export const routeKey = (r: RouteKey): string => `${r.method.toUpperCase()} ${r.path}`;

/**
 * The routes a Nest app mapped, read from its start-up log ("Mapped {/path, METHOD} route"):
 * the route table of the real process, whatever its modules are.
 */
export function routesFromNestLog(output: string): RouteKey[] {
  const seen = new Map<string, RouteKey>();
  for (const m of output.matchAll(/Mapped \{([^,}]+), ([A-Z]+)\}/g)) {
    const route = { method: m[2]!, path: m[1]! };
    seen.set(routeKey(route), route);
  }
  return [...seen.values()];
}

/** "/admin/jobs/{id}" → "/admin/jobs/:id". */
export const fromOpenApiPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

export interface OpenApiRoute extends RouteKey {
  /** The application/json request body schema, when it takes one. */
  body?: JsonSchema;
  /** Whether it also reads a text/plain body. */
  text: boolean;
  query: { name: string; enum?: string[] }[];
  /** No credentials needed (security: []). */
  public: boolean;
}

/** Every operation of an OpenAPI 3.x document, with what the fuzzer needs of it. */
export function routesFromOpenApi(doc: unknown): OpenApiRoute[] {
  const paths = (doc as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {};
  const out: OpenApiRoute[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content ?? {};
      const params = (op.parameters as { name: string; in: string; schema?: { enum?: string[] } }[] | undefined) ?? [];
      out.push({
        method: method.toUpperCase(),
        path: fromOpenApiPath(path),
        body: content['application/json']?.schema,
        text: 'text/plain' in content,
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, enum: p.schema?.enum })),
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return out;
}

/** Path parameter values (and the headers that go with them) that name real things. */
export interface FuzzContext {
  label: string;
  params: Record<string, string>;
  headers?: Record<string, string>;
  /**
   * Whether the server refuses a well-formed body here (a round of another player, a category
   * that does not exist). Only such contexts get well-formed bodies; the others only bad ones.
   */
  refuses: boolean;
}

/** A well-formed request the server must refuse (it writes nothing), with its status. */
export interface Refusal {
  label: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  query?: string;
  body?: unknown;
  status: number;
}

/** How to fuzz one route. */
export interface FuzzRoute extends RouteKey {
  /** Credentials that get past authentication; requests without them must get `status`. */
  auth?: { headers: Record<string, string>; status: number };
  /** Headers every request carries (a session cookie). */
  headers?: Record<string, string>;
  contexts?: FuzzContext[];
  /** Whether a path parameter value might name something that exists: such values are not sent as garbage. */
  paramMayExist?: (name: string, value: string) => boolean;
  query?: {
    names: string[];
    /** Values worth mixing in (valid ones): the garbage gets past the first check. */
    values: string[];
    /** Whether the server must refuse this query (node:querystring's parse, as Express's simple parser). */
    isBad: (query: ParsedUrlQuery) => boolean;
  };
  body?: {
    schema: JsonSchema;
    /** Valid bodies to mutate; made from the schema when absent. */
    examples?: unknown[];
    /** Whether a parsed JSON body must be refused; by default, whether the schema refuses it. */
    isBad?: (body: unknown) => boolean;
    /** The JSON body limit: past it, 413. */
    limitBytes: number;
    /** The route also reads text/plain bodies up to this size. */
    textLimitBytes?: number;
    /** Sent without a body, the handler sees this (the default: {}). */
    absentAs?: unknown;
  };
  refusals?: Refusal[];
  /** Requests to make for this route (default: by what it takes). */
  budget?: number;
}

// HEAD and OPTIONS are left out: HEAD answers have no body to check, and an OPTIONS answer
// listing the allowed methods (Express routers give one) is no error.
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND'];

const BAD_ENCODINGS = ['%E0%A4%A', '%', '%%', '%zz', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%2e%2e', '%2F', 'a%2Fb', '%u0041', '%E0%A4', '%F0%9F%98'];

/**
 * Percent-encodes any string; a lone surrogate (which encodeURIComponent refuses) becomes its
 * WTF-8 bytes, which no server decodes: `decoded` is then null.
 */
export function percentEncode(s: string): { raw: string; decoded: string | null } {
  try {
    return { raw: encodeURIComponent(s), decoded: s };
  } catch {
    let raw = '';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      raw +=
        c >= 0xd800 && c <= 0xdfff
          ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
          : encodeURIComponent(ch);
    }
    return { raw, decoded: null };
  }
}

/**
 * Node's HTTP server answers a request head over 16 KiB (--max-http-header-size) with a bare 431
 * before any application code runs: paths and queries stay well under it.
 */
const MAX_SEGMENT = 6000;
const MAX_QUERY = 6000;

function capped(seg: { raw: string; decoded: string | null }): { raw: string; decoded: string | null } {
  if (seg.raw.length <= MAX_SEGMENT) return seg;
  const raw = seg.raw.slice(0, MAX_SEGMENT);
  try {
    return { raw, decoded: decodeURIComponent(raw) };
  } catch {
    return { raw, decoded: null };
  }
}

/** A path segment that names nothing: raw bytes, mis-encodings, numbers that are not ids, overlong. */
export function garbageSegment(rng: Rng): { raw: string; decoded: string | null } {
  return capped(garbageSegmentOf(rng));
}

function garbageSegmentOf(rng: Rng): { raw: string; decoded: string | null } {
  const encoded = percentEncode;
  return rng.weighted<() => { raw: string; decoded: string | null }>([
    [4, () => ({ raw: rng.pick(BAD_ENCODINGS), decoded: null })],
    [4, () => encoded(nastyString(rng).slice(0, 2000) || 'x')],
    [4, () => encoded(rng.pick(['0', '-1', '1.5', '1e3', '0x1', '2147483648', '99999999999999999999', ' 1', '1 ', '01', '+1', 'NaN', 'null', 'undefined', 'true', '[object Object]', '-0', '1,2', '١٢']))],
    [2, () => encoded(rng.pick(['scrape:', ':', ':1', 'scrape:0', 'nope:1', 'scrape:-1', 'inference:abc', '__proto__:1', 'constructor', '__proto__', 'gpt2-twitter-', 'gpt2-twitter-vc@0', 'gpt2-twitter-vc@-1', 'gpt2-twitter-VC', 'gpt2-twitter-vc@1@2', '@1']))],
    [1, () => ({ raw: rng.pick(['.', '..', '...', '~', '*', '$', '!', "'", '(', ')', ';', '=', ',', '+', '@', ':']), decoded: null })],
    [1, () => encoded('a'.repeat(rng.pick([64, 65, 256, 1000, 6000])))],
    [1, () => encoded(randomString(rng, rng.int(1, 30)))],
  ])();
}

/** A query string of real and hostile names, duplicates, brackets, mis-encodings. */
export function garbageQuery(rng: Rng, names: string[], values: string[]): string {
  const parts: string[] = [];
  const n = rng.int(1, 5);
  const allNames = [...names, ...names.map((q) => `${q}[]`), ...names.map((q) => `${q}[a]`), '__proto__', 'constructor', '__proto__[x]', 'x', ''];
  for (let i = 0; i < n; i++) {
    const name = rng.chance(0.8) && names.length ? rng.pick(names) : rng.pick(allNames);
    const value = rng.weighted<() => string>([
      [3, () => percentEncode(rng.pick(values.length ? values : ['x'])).raw],
      [4, () => percentEncode(nastyString(rng).slice(0, 3000)).raw],
      [2, () => rng.pick(BAD_ENCODINGS)],
      [1, () => ''],
    ])();
    parts.push(rng.chance(0.1) ? percentEncode(name).raw : `${percentEncode(name).raw.replace(/%5B/g, '[').replace(/%5D/g, ']')}=${value}`);
    if (rng.chance(0.25)) parts.push(parts[parts.length - 1]!);
  }
  const sep = rng.pick(['&', '&&', '&amp;']);
  while (parts.length > 1 && parts.join(sep).length > MAX_QUERY) parts.pop();
  return parts.join(sep).slice(0, MAX_QUERY);
}

/** Concrete path for the route, with these raw (already encoded) parameter values. */
export function fillPath(path: string, raw: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => raw[name] ?? 'x');
}

const paramNames = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** Whether `concrete` (encoded) matches the route pattern `path`. */
function matches(path: string, concrete: string): boolean {
  const re = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '[^/]+')}/?$`);
  return re.test(concrete.split('?')[0]!);
}

/**
 * The malformed requests for a set of routes: for each, bad credentials, garbage path
 * parameters and query strings, broken and mis-typed JSON, mutations of valid bodies, wrong
 * content types, bodies over the limit, and well-formed requests the server must refuse; for
 * each path, the methods it does not take. None of them is a request the server may carry out.
 */
export function fuzzRequests(routes: FuzzRoute[], rng: Rng): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  for (const route of routes) out.push(...routeRequests(route, rng.fork(routeKey(route)), routes));
  out.push(...wrongMethods(routes, rng.fork('wrong-methods')));
  return out;
}

function routeRequests(route: FuzzRoute, rng: Rng, all: FuzzRoute[]): FuzzRequest[] {
  const key = routeKey(route);
  const names = paramNames(route.path);
  const out: FuzzRequest[] = [];
  const body = route.body;
  const isBad = body ? (body.isBad ?? ((v: unknown) => !isValid(body.schema, v))) : () => true;
  const absentIsBad = body ? isBad(body.absentAs ?? {}) : true;
  const contexts = route.contexts ?? [];
  const refusing = contexts.filter((c) => c.refuses);
  const authHeaders = route.auth?.headers ?? {};
  const example = (): unknown => (body ? validExample(body.schema, body.examples, rng) : undefined);

  /**
   * Garbage for each path parameter, none of which may name something real. `decodable`: only
   * values the router can percent-decode (it refuses the others with a 400 before any guard or
   * handler runs, which is right, but then the request tests nothing else).
   */
  const garbageParams = (decodable = false): { raw: Record<string, string>; ok: boolean } => {
    const raw: Record<string, string> = {};
    const unusable = (name: string, seg: { decoded: string | null }) =>
      seg.decoded === null ? decodable : seg.decoded === '' || !!route.paramMayExist?.(name, seg.decoded);
    for (const name of names) {
      let seg = garbageSegment(rng);
      for (let i = 0; i < 8 && unusable(name, seg); i++) seg = garbageSegment(rng);
      if (unusable(name, seg)) return { raw, ok: false };
      raw[name] = seg.raw;
    }
    return { raw, ok: true };
  };
  /** Where a request goes: garbage parameters, or a real context (`wellFormed`: only refusing ones). */
  const place = (wellFormed: boolean, decodable = false): { path: string; headers: Record<string, string>; label: string } | null => {
    if (!names.length) return { path: route.path, headers: {}, label: '' };
    const pool = wellFormed ? refusing : contexts;
    if (pool.length && rng.chance(0.5)) {
      const c = rng.pick(pool);
      return { path: fillPath(route.path, Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, encodeURIComponent(v)]))), headers: c.headers ?? {}, label: `@${c.label}` };
    }
    const g = garbageParams(decodable);
    return g.ok ? { path: fillPath(route.path, g.raw), headers: {}, label: '@garbage' } : null;
  };
  const push = (kind: string, where: { path: string; headers: Record<string, string>; label: string }, init: Omit<FuzzRequest, 'route' | 'kind' | 'method' | 'path'> & { method?: string; query?: string }) => {
    const query = init.query ?? '';
    out.push({
      route: key,
      kind: `${kind}${where.label}`,
      method: init.method ?? route.method,
      path: `${where.path}${query ? `?${query}` : ''}`,
      headers: { ...route.headers, ...authHeaders, ...where.headers, ...init.headers },
      body: init.body,
      expect: init.expect,
    });
  };
  const jsonHeaders = { 'content-type': 'application/json' };
  const validBodyText = (): string | undefined => (body ? toJsonText(example()).text : undefined);
  // A query that the route's own query check (if any) passes: noise on top of a bad body.
  const noise = (): string | undefined => {
    if (!rng.chance(0.15)) return undefined;
    const q = garbageQuery(rng, ['x', '__proto__', 'constructor'], []);
    return !route.query || route.query.isBad(parseQueryString(q)) ? q : undefined;
  };

  type Gen = [number, () => void];
  const gens: Gen[] = [];
  // No or wrong credentials: refused before anything else is looked at.
  if (route.auth) {
    gens.push([
      2,
      () => {
        const where = place(true, true);
        if (!where) return;
        const key0 = Object.values(authHeaders)[0] ?? '';
        const bad = rng.pick<Record<string, string>>([
          {},
          { authorization: '' },
          { authorization: 'Bearer' },
          { authorization: 'Bearer ' },
          { authorization: 'Bearer wrong-key-0123456789abcdefghij' },
          { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
          { authorization: `${key0}x` },
          { authorization: key0.replace(/^Bearer\s+/i, '') },
          { authorization: `${key0} extra` },
          { authorization: `Bearer ${'k'.repeat(5000)}` },
          { authorization: `Bearer ${encodeURIComponent('ключ-0123456789abcdefghijklmnop')}` },
          { 'x-api-key': key0.replace(/^Bearer\s+/i, '') },
        ]);
        const text = validBodyText();
        out.push({
          route: key,
          kind: `auth${where.label}`,
          method: route.method,
          path: where.path,
          headers: { ...route.headers, ...where.headers, ...bad, ...(text !== undefined ? jsonHeaders : {}) },
          body: text,
          expect: [route.auth!.status],
        });
      },
    ]);
  }
  // Garbage path parameters, with a valid body so the parameter is what is wrong.
  if (names.length) {
    gens.push([
      body ? 3 : 8,
      () => {
        const g = garbageParams();
        if (!g.ok) return;
        const text = validBodyText();
        push('param', { path: fillPath(route.path, g.raw), headers: {}, label: '' }, { body: text, headers: text !== undefined ? jsonHeaders : {} });
      },
    ]);
  }
  if (route.query) {
    const q = route.query;
    gens.push([
      body ? 2 : 10,
      () => {
        for (let i = 0; i < 8; i++) {
          const query = garbageQuery(rng, q.names, q.values);
          if (!q.isBad(parseQueryString(query))) continue;
          const where = place(true);
          if (!where) return;
          const text = body?.textLimitBytes ? 'fuzzhandle\n' : validBodyText();
          push('query', where, { query, body: text, headers: text === undefined ? {} : { 'content-type': body?.textLimitBytes ? 'text/plain' : 'application/json' } });
          return;
        }
      },
    ]);
  }
  if (body) {
    gens.push([
      10,
      () => {
        const m = mutateBody(rng, body.schema, example(), isBad);
        const where = m && place(false);
        if (!m || !where) return;
        push(m.kind, where, { body: m.json.text, headers: jsonHeaders, query: noise() });
      },
    ]);
    gens.push([
      3,
      () => {
        const b = brokenJson(rng, toJsonText(example()).text);
        const parsed = typeof b.text === 'string' ? parseJson(b.text) : undefined;
        if (parsed && !isBad(parsed.value)) return;
        const where = place(false);
        if (where) push(b.kind, where, { body: b.text, headers: jsonHeaders, query: noise() });
      },
    ]);
    gens.push([
      2,
      () => {
        const s = wrongShapeJson(rng, example());
        if (s.json.parsed && !isBad(s.json.parsed.value)) return;
        const where = place(false);
        if (where) push(s.kind, where, { body: s.json.text, headers: jsonHeaders });
      },
    ]);
    gens.push([
      1,
      () => {
        const h = hugeJson(rng, body.limitBytes, example());
        // A path the router cannot decode is refused (400) before the body is read.
        const where = place(false, true);
        if (where) push(h.kind, where, { body: h.text, headers: jsonHeaders, expect: [413] });
      },
    ]);
    // A body in a type the route does not read: it must not be taken for an empty one.
    gens.push([
      2,
      () => {
        const types = WRONG_CONTENT_TYPES.filter((t) => !(body.textLimitBytes && /^text\/plain/.test(t)));
        // Anywhere, even where a well-formed body would be carried out: a body the route does
        // not read is malformed, never an empty one.
        const where = place(false);
        if (!where) return;
        const type = rng.pick(types);
        push(`content-type:${type}`, where, { body: toJsonText(example()).text, headers: { 'content-type': type } });
      },
    ]);
    // Form bodies: parsed, so their fields must be checked as strictly as JSON's.
    gens.push([
      1,
      () => {
        const where = place(false);
        if (!where) return;
        const many = rng.chance(0.2);
        const form = many
          ? Array.from({ length: 1500 }, (_, i) => `k${i}=${i}`).join('&')
          : rng.pick(['fuzz_unknown_field=1&a[b][c]=2', '__proto__[polluted]=1&fuzz_unknown_field=1', 'a[9999999]=1&fuzz_unknown_field=x', 'fuzz_unknown_field', `fuzz_unknown_field=${'a['.repeat(40)}`]);
        if (!isBad({ fuzz_unknown_field: '1' })) return;
        push(many ? 'form:too-many-params' : 'form:fields', where, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      },
    ]);
    if (absentIsBad) {
      gens.push([
        1,
        () => {
          const where = place(false);
          if (!where) return;
          const v = rng.pick<Record<string, string> | undefined>([undefined, jsonHeaders, { 'content-type': 'application/json', 'content-length': '0' }]);
          push('no-body', where, { headers: v ?? {}, body: v ? '' : undefined });
        },
      ]);
    }
    if (body.textLimitBytes) {
      const limit = body.textLimitBytes;
      gens.push([
        1,
        () => {
          const where = place(false, true);
          if (where) push('text:huge', where, { body: 'handle\n'.repeat(Math.ceil((limit + rng.int(1, 65_536)) / 7)), headers: { 'content-type': 'text/plain' }, expect: [413] });
        },
      ]);
      gens.push([
        1,
        () => {
          // Any text (some lines may be valid handles) only where the server refuses whatever it reads.
          const where = refusing.length || names.length ? place(true) : null;
          if (where) push('text:garbage', where, { body: randomString(rng, rng.int(0, 400)), headers: { 'content-type': rng.pick(['text/plain', 'text/plain; charset=utf-8', 'text/plain; charset=utf-16']) } });
        },
      ]);
    }
  } else if (route.method !== 'GET') {
    // A route without a body: a body of any kind changes nothing, so only garbage parameters.
    if (names.length) {
      gens.push([
        2,
        () => {
          const g = garbageParams();
          if (!g.ok) return;
          const r = rng.chance(0.5) ? brokenJson(rng, '{"a":1}') : { kind: 'json:random', text: JSON.stringify(randomJsonValue(rng)) };
          push(`param+${r.kind}`, { path: fillPath(route.path, g.raw), headers: {}, label: '' }, { body: r.text, headers: jsonHeaders });
        },
      ]);
    }
  }
  // A route that takes nothing: a path that goes one segment further.
  if (!names.length && !body && !route.query) {
    gens.push([
      3,
      () => {
        const seg = garbageSegment(rng);
        push('suffix', { path: `${route.path}/${seg.raw}`, headers: {}, label: '' }, { expect: [400, 401, 404, 405] });
      },
    ]);
  }
  const budget = route.budget ?? (body ? 120 : names.length || route.query ? 50 : 12);
  let guard = 0;
  while (out.length < budget && guard++ < budget * 4 && gens.length) rng.weighted(gens.map(([w, g]) => [w, g] as const))();
  for (const r of route.refusals ?? []) {
    for (let i = 0; i < 2; i++) {
      out.push({
        route: key,
        kind: `refusal:${r.label}`,
        method: route.method,
        path: `${fillPath(route.path, Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)])))}${r.query ? `?${r.query}` : ''}`,
        headers: { ...route.headers, ...authHeaders, ...r.headers, ...(r.body !== undefined ? { 'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json' } : {}) },
        body: r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : toJsonText(r.body).text,
        expect: [r.status],
      });
    }
  }
  // A body under someone else's route would be unfair to judge: drop requests another route matches.
  return out.filter((r) => !all.some((o) => o !== route && o.method === r.method && !o.path.includes(':') && matches(o.path, r.path)));
}

function wrongMethods(routes: FuzzRoute[], rng: Rng): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const byPath = new Map<string, FuzzRoute[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  for (const [path, same] of byPath) {
    const taken = new Set(same.map((r) => r.method));
    for (const method of METHODS.filter((m) => !taken.has(m))) {
      for (let i = 0; i < (method === 'TRACE' || method === 'PROPFIND' ? 1 : 2); i++) {
        const raw: Record<string, string> = {};
        for (const name of paramNames(path)) raw[name] = `fuzz-${randomString(rng, 4).replace(/[^a-z]/gi, 'q')}`;
        const concrete = fillPath(path, raw);
        // Another route of this method may take the path (GET /jobs/:id takes GET /jobs/scrape).
        if (routes.some((r) => r.method === method && matches(r.path, concrete))) continue;
        const first = same[0]!;
        out.push({
          route: routeKey(first),
          kind: `method:${method}`,
          method,
          path: concrete,
          headers: { ...first.headers, ...first.auth?.headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          body: method === 'GET' ? undefined : '{}',
          expect: [404, 405],
        });
      }
    }
  }
  return out;
}

/** Routes of the app that no fuzz route covers, and fuzz routes the app does not have. */
export function coverageGaps(app: RouteKey[], fuzzed: RouteKey[]): { unfuzzed: string[]; unknown: string[] } {
  const a = new Set(app.map(routeKey));
  const f = new Set(fuzzed.map(routeKey));
  return { unfuzzed: [...a].filter((k) => !f.has(k)).sort(), unknown: [...f].filter((k) => !a.has(k)).sort() };
}



import { parse } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { problemsWith } from './http.js';
import { exampleOf, isValid, type JsonSchema } from './json-schema.js';
import { brokenJson, mutateBody, parseJson } from './malformed.js';
import { Rng } from './prng.js';
import { coverageGaps, type FuzzRoute, fuzzRequests, garbageQuery, routesFromNestLog } from './routes.js';

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['slug', 'count'],
  properties: {
    slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    count: { type: 'integer', exclusiveMinimum: 0, maximum: 100 },
    kind: { type: 'string', enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 5 }, maxItems: 3 },
  },
};

describe('fuzz generator', () => {
  it('draws the same numbers for the same seed, and other ones per fork', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.int(0, 1000));
    expect(draw(new Rng(7))).toEqual(draw(new Rng(7)));
    expect(draw(new Rng(7).fork('a'))).not.toEqual(draw(new Rng(7).fork('b')));
  });

  it('judges bodies as the schema does, refusing non-finite numbers', () => {
    expect(isValid(schema, { slug: 'vc', count: 3, tags: ['x'] })).toBe(true);
    expect(isValid(schema, { slug: 'VC', count: 3 })).toBe(false);
    expect(isValid(schema, { slug: 'vc', count: 0 })).toBe(false);
    expect(isValid(schema, { slug: 'vc', count: 1.5 })).toBe(false);
    expect(isValid(schema, { slug: 'vc', count: Infinity })).toBe(false);
    expect(isValid(schema, { slug: 'vc', count: 1, extra: 1 })).toBe(false);
    expect(isValid(schema, JSON.parse('{"slug":"vc","count":1,"__proto__":{}}'))).toBe(false);
    expect(exampleOf(schema)).toEqual({ slug: 'vc', count: 1 });
  });

  it('mutates valid bodies into bodies the schema refuses, only', () => {
    const rng = new Rng(42);
    let made = 0;
    for (let i = 0; i < 500; i++) {
      const m = mutateBody(rng, schema, { slug: 'vc', count: 3, kind: 'a', tags: ['x'] });
      if (!m) continue;
      made++;
      if (m.json.parsed) expect(isValid(schema, m.json.parsed.value), `${m.kind}: ${m.json.text.slice(0, 200)}`).toBe(false);
    }
    expect(made).toBeGreaterThan(450);
    // Broken JSON mostly does not parse (what does is judged like any body by the caller).
    const broken = Array.from({ length: 200 }, () => brokenJson(rng, '{"slug":"vc","count":3}'));
    expect(broken.filter((b) => typeof b.text !== 'string' || !parseJson(b.text)).length).toBeGreaterThan(170);
  });

  it('makes only requests the route spec calls bad, and wrong methods for each path', () => {
    const routes: FuzzRoute[] = [
      { method: 'POST', path: '/things', body: { schema, examples: [{ slug: 'vc', count: 3 }], limitBytes: 1000 }, budget: 300 },
      { method: 'GET', path: '/things/:id', paramMayExist: (_, v) => /^[0-9]+$/.test(v), budget: 100 },
      { method: 'GET', path: '/list', query: { names: ['page'], values: ['1'], isBad: (q) => q.page !== undefined && q.page !== '1' } },
    ];
    const requests = fuzzRequests(routes, new Rng(3));
    expect(requests.filter((r) => r.route === 'POST /things').length).toBeGreaterThan(250);
    for (const r of requests.filter((x) => x.route === 'POST /things' && x.headers?.['content-type'] === 'application/json' && typeof x.body === 'string')) {
      const parsed = parseJson(r.body as string);
      if (parsed) expect(isValid(schema, parsed.value), `${r.kind}: ${String(r.body).slice(0, 200)}`).toBe(false);
    }
    for (const r of requests.filter((x) => x.route === 'GET /things/:id' && x.kind.startsWith('param'))) {
      let id: string | null;
      try {
        id = decodeURIComponent(r.path.split('/')[2]!);
      } catch {
        id = null;
      }
      if (id !== null) expect(id).not.toMatch(/^[0-9]+$/);
    }
    expect(requests.filter((r) => r.kind === 'method:DELETE').map((r) => r.route)).toContain('POST /things');
    expect(new Set(requests.filter((r) => r.route === 'GET /list').map((r) => r.kind.split('@')[0]))).toEqual(new Set(['query', 'method:POST', 'method:PUT', 'method:PATCH', 'method:DELETE', 'method:TRACE', 'method:PROPFIND']));
    for (const r of requests.filter((x) => x.route === 'GET /list' && x.kind.startsWith('query'))) expect(routes[2]!.query!.isBad(parse(r.path.split('?')[1] ?? ''))).toBe(true);
    expect(garbageQuery(new Rng(1), ['a'], []).length).toBeLessThanOrEqual(6000);
  });

  it('reads the route table from a Nest log and finds what is not fuzzed', () => {
    const log = '{"message":"Mapped {/api/rounds, POST} route"}\n{"message":"Mapped {/api/rounds/:id/guess, POST} route"}\n{"message":"Mapped {/health, GET} route"}';
    const app = routesFromNestLog(log);
    expect(app).toEqual([
      { method: 'POST', path: '/api/rounds' },
      { method: 'POST', path: '/api/rounds/:id/guess' },
      { method: 'GET', path: '/health' },
    ]);
    expect(coverageGaps(app, [{ method: 'POST', path: '/api/rounds' }, { method: 'GET', path: '/gone' }])).toEqual({ unfuzzed: ['GET /health', 'POST /api/rounds/:id/guess'], unknown: ['GET /gone'] });
  });

  it('accepts only a 4xx JSON answer with a message', () => {
    const req = { route: 'r', kind: 'k', method: 'GET', path: '/' };
    const res = (status: number, text: string, type = 'application/json; charset=utf-8') => ({ status, headers: { 'content-type': type }, text, json: parseJson(text)?.value });
    expect(problemsWith(req, res(400, '{"message":"bad"}'))).toEqual([]);
    expect(problemsWith(req, res(400, '{"message":["a","b"]}'))).toEqual([]);
    expect(problemsWith(req, res(500, '{"message":"Internal server error"}'))).toHaveLength(1);
    expect(problemsWith(req, res(400, '{"message":""}'))).toHaveLength(1);
    expect(problemsWith(req, res(400, 'Bad Request', 'text/html'))).toEqual(['content-type "text/html", expected application/json', 'body is not JSON']);
    expect(problemsWith({ ...req, expect: [401] }, res(400, '{"message":"x"}'))).toHaveLength(1);
  });
});

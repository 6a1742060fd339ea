import { exampleOf, getAt, isValid, type JsonSchema, REMOVE, type Slot, setAt, slotsOf } from './json-schema.js';
import type { Rng } from './prng.js';

/** Strings that break naive code: empties, controls, NUL, lone surrogates, lookalikes, injections. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001b[31m\u001f',
  '\u007f\u0080\u009f',
  '\u200b\u200d\ufeff',
  '\u202eevil',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '😀',
  '👨‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ',
  'İıǅ',
  'e\u0301\u0301\u0301',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '0x1F',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '${jndi:ldap://x/a}',
  "'; DROP TABLE players; --",
  '<script>alert(1)</script>',
  'a\r\nSet-Cookie: x=1',
  '  padded  ',
  'VC',
  'vc ',
  ' vc',
  'vc\u0000',
];

/** JSON number (and not-quite-number) tokens written into a body as they are, not as strings. */
export const RAW_NUMBER_TOKENS: readonly string[] = [
  '1e999',
  '-1e999',
  '-0',
  '1e308',
  '-1e308',
  '5e-324',
  '1E400',
  '9007199254740993',
  '123456789012345678901234567890',
  '0.1',
  '-1',
  '00',
  '01',
  '+1',
  '.5',
  '1.',
  '0x1F',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  '1_000',
  "'x'",
  'tru',
  'nul',
];

/** Keys that must never reach an object's prototype or be taken for a field. */
export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', 'a.b', '$where', 'fuzz_unknown_field'];

/** A random string of `length` mixed characters (ASCII, controls, other planes). */
export function randomString(rng: Rng, length: number): string {
  const pools = ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ' _-.,;:!?@#$%^&*()[]{}<>/\\|"\'`~+=', '\u0000\u0001\u0007\b\t\n\v\f\r\u001b\u007f', 'éüßñçøåÆŒΩЖ中文日本語한국어عربيעברית', '😀🚀👍🏽🇺🇸'];
  let out = '';
  while (out.length < length) {
    const pool = rng.weighted([
      [6, pools[0]!],
      [2, pools[1]!],
      [1, pools[2]!],
      [2, pools[3]!],
      [1, pools[4]!],
    ]);
    const chars = [...pool];
    out += chars[rng.int(0, chars.length - 1)]!;
  }
  return out;
}

export function nastyString(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => rng.pick(NASTY_STRINGS)],
    [3, () => randomString(rng, rng.int(1, 40))],
    [1, () => 'x'.repeat(rng.pick([65, 201, 257, 2001, 10_001, 50_000]))],
    [1, () => randomString(rng, rng.int(300, 3000))],
  ])();
}

/** A value of some JSON type, plain or odd. */
export function randomJsonValue(rng: Rng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [2, () => null],
    [2, () => rng.chance(0.5)],
    [3, () => rng.pick([0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e-308, 0.1])],
    [4, () => nastyString(rng)],
    [depth < 3 ? 2 : 0, () => Array.from({ length: rng.int(0, 3) }, () => randomJsonValue(rng, depth + 1))],
    [depth < 3 ? 2 : 0, () => Object.fromEntries(Array.from({ length: rng.int(0, 3) }, () => [rng.pick(HOSTILE_KEYS), randomJsonValue(rng, depth + 1)]))],
  ])();
}

/** A JSON text: `value` serialized, with each raw token placeholder replaced by its token. */
export interface JsonText {
  text: string;
  /** What the server's JSON.parse makes of it; absent when it cannot be parsed. */
  parsed?: { value: unknown };
}

const RAW_MARK = '\ue000raw:';

/** Stands in for a raw token inside a value until `toJsonText` writes the token itself. */
export function rawToken(token: string): string {
  return `${RAW_MARK}${token}\ue000`;
}

export function toJsonText(value: unknown): JsonText {
  const text = JSON.stringify(value).replace(/"\ue000raw:((?:[^"\\]|\\.)*?)\ue000"/g, (_m, token: string) => JSON.parse(`"${token}"`) as string);
  return { text, parsed: parseJson(text) };
}

export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * A value the field's schema refuses (or undefined when none of the tries is refused). `current`
 * is the field's valid value: many candidates are near misses of it.
 */
export function invalidValueFor(rng: Rng, schema: JsonSchema | boolean, current?: unknown): unknown {
  for (let attempt = 0; attempt < 12; attempt++) {
    const candidate = typeof current === 'string' && rng.chance(0.3) ? nearMiss(rng, current) : candidateFor(rng, schema);
    const probe = typeof candidate === 'string' && candidate.startsWith(RAW_MARK) ? parseJson(candidate.slice(RAW_MARK.length, -1)) : { value: candidate };
    // A NUL is let through even where the field's schema takes any text: the route may refuse it
    // (Postgres stores none); the whole body's check decides.
    if (!probe || !isValid(schema, probe.value) || (typeof probe.value === 'string' && probe.value.includes('\u0000'))) return candidate;
  }
  return undefined;
}

/** A valid string spoilt a little: a control character or NUL inside, padding, case, a cut. */
export function nearMiss(rng: Rng, valid: string): string {
  const at = rng.int(0, valid.length);
  return rng.weighted<() => string>([
    [4, () => valid.slice(0, at) + rng.pick(['\u0000', '\u0001', '\u001f', '\u007f', '\n', '\u200b', '\ud800', '\u202e']) + valid.slice(at)],
    [2, () => rng.pick([` ${valid}`, `${valid} `, `\t${valid}`, `${valid}\n`])],
    [1, () => (valid.toUpperCase() === valid ? valid.toLowerCase() : valid.toUpperCase())],
    [1, () => valid.slice(0, at)],
    [1, () => valid + valid.repeat(rng.pick([1, 10, 100]))],
  ])();
}

function candidateFor(rng: Rng, raw: JsonSchema | boolean): unknown {
  const s: JsonSchema = typeof raw === 'boolean' ? {} : raw;
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const generic = (): unknown => randomJsonValue(rng);
  const options: [number, () => unknown][] = [
    [3, generic],
    [1, () => null],
    [1, () => rawToken(rng.pick(RAW_NUMBER_TOKENS))],
  ];
  if (s.enum || s.const !== undefined) {
    const known = (s.enum ?? [s.const]).filter((e): e is string => typeof e === 'string');
    if (known.length) {
      const base = rng.pick(known);
      options.push([6, () => rng.pick([base.toUpperCase(), ` ${base}`, `${base} `, `${base}\u0000`, base.slice(0, -1), `${base}s`, base + base, '', JSON.stringify(base), [base]])]);
    }
  }
  if (types.includes('string')) {
    options.push([6, () => nastyString(rng)]);
    if (s.maxLength !== undefined) options.push([3, () => 'a'.repeat(s.maxLength! + 1 + rng.int(0, 2) * rng.int(0, 1000))]);
    if (s.minLength) options.push([2, () => 'a'.repeat(s.minLength! - 1)]);
    options.push([2, () => rng.pick([1, 0, -1, 1.5, true, false, [], {}, ['a']])]);
  }
  if (types.includes('integer') || types.includes('number')) {
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    options.push([4, () => rng.pick([String(lo ?? 1), '1', '1e3', ' 1', '0x10', 'NaN', 'Infinity', '', '١'])]);
    options.push([4, () => rng.pick([true, false, [1], { value: 1 }])]);
    if (lo !== undefined) options.push([4, () => rng.pick([lo - 1, lo - 0.5, s.exclusiveMinimum ?? lo - 1, -(2 ** 31), -1e308, rawToken('-0'), rawToken('-1e999')])]);
    if (hi !== undefined) options.push([4, () => rng.pick([hi + 1, hi + 0.5, s.exclusiveMaximum ?? hi + 1, 2 ** 53 + 2, 1e308, rawToken('1e999'), rawToken('123456789012345678901234567890')])]);
    if (types.includes('integer') && !types.includes('number')) options.push([4, () => rng.pick([1.5, 0.1, 2.000001, 1e-7, rawToken('1.0000000000000002')])]);
  }
  if (types.includes('boolean')) options.push([4, () => rng.pick(['true', 'false', 1, 0, 'yes', null, [true]])]);
  if (types.includes('array')) {
    options.push([3, () => rng.pick([{}, 'a', 1, { 0: 'a', length: 1 }])]);
    if (s.minItems) options.push([2, () => []]);
    if (s.maxItems !== undefined && s.maxItems <= 20_000) options.push([1, () => Array.from({ length: s.maxItems! + 1 }, (_, i) => `h${i}`)]);
    if (s.items && typeof s.items === 'object') {
      const items = s.items;
      options.push([4, () => [invalidValueFor(rng, items) ?? null]]);
    }
  }
  if (types.includes('object') || s.properties) options.push([4, () => rng.pick([[], 'object', 1, { fuzz_unknown_field: 1 }])]);
  return rng.weighted(options)();
}

/** One malformed body made from a valid one, and what was done to it. */
export interface Mutant {
  kind: string;
  json: JsonText;
}

/**
 * Mutates a valid body one to three times: a field replaced by a value of the wrong type or
 * range, a required field dropped, an unknown or hostile key added, a duplicated key whose last
 * value is bad, the whole body swapped for another JSON type. Returns mutants `isBad` accepts
 * (by default: those the schema refuses), so none of them is a valid request.
 */
export function mutateBody(rng: Rng, schema: JsonSchema, example: unknown, isBad: (parsed: unknown) => boolean = (v) => !isValid(schema, v)): Mutant | undefined {
  for (let attempt = 0; attempt < 16; attempt++) {
    let value = example;
    const kinds: string[] = [];
    let duplicate: { key: string; bad: unknown } | undefined;
    const steps = rng.weighted([
      [6, 1],
      [3, 2],
      [1, 3],
    ]);
    for (let step = 0; step < steps; step++) {
      const slots = slotsOf(schema, value);
      const slot: Slot = rng.pick(slots);
      const op = rng.weighted<string>([
        [8, 'wrong-value'],
        [slot.parent && slot.path.length ? 3 : 0, 'drop-field'],
        [isObject(getAt(value, slot.path)) ? 3 : 0, 'unknown-key'],
        [2, 'null'],
        [1, 'wrap-in-array'],
        [isObject(value) ? 1 : 0, 'duplicate-key'],
        [slot.path.length === 0 ? 0 : 1, 'deep-value'],
      ]);
      const here = getAt(value, slot.path);
      switch (op) {
        case 'wrong-value': {
          const bad = invalidValueFor(rng, slot.schema, here);
          if (bad === undefined) continue;
          value = setAt(value, slot.path, bad);
          break;
        }
        case 'drop-field':
          value = setAt(value, slot.path, REMOVE);
          break;
        case 'unknown-key': {
          const key = rng.weighted<() => string>([
            [5, () => rng.pick(HOSTILE_KEYS)],
            [2, () => caseVariant(rng, Object.keys(here as object))],
            [1, () => 'k'.repeat(rng.pick([100, 5000]))],
            [1, () => randomString(rng, rng.int(1, 12))],
          ])();
          value = setAt(value, [...slot.path, key], randomJsonValue(rng));
          break;
        }
        case 'null':
          value = setAt(value, slot.path, null);
          break;
        case 'wrap-in-array':
          value = setAt(value, slot.path, [here]);
          break;
        case 'duplicate-key': {
          const keys = Object.keys(value as object);
          if (!keys.length) continue;
          const key = rng.pick(keys);
          const bad = invalidValueFor(rng, slotsOf(schema, value).find((s) => s.path.length === 1 && s.path[0] === key)?.schema ?? true);
          if (bad === undefined) continue;
          duplicate = { key, bad };
          break;
        }
        case 'deep-value':
          value = setAt(value, slot.path, nest(rng.pick([33, 40, 100, 1000, 5000, 10_000]), rng.chance(0.5)));
          break;
      }
      kinds.push(op);
    }
    if (!kinds.length) continue;
    let json = toJsonText(value);
    if (duplicate && json.text.startsWith('{') && json.text.length > 2) {
      // {"guess":"human", ..., "guess":<bad>}: JSON.parse keeps the last one.
      const extra = `${JSON.stringify(duplicate.key)}:${toJsonText(duplicate.bad).text}`;
      const text = `${json.text.slice(0, -1)},${extra}}`;
      json = { text, parsed: parseJson(text) };
    }
    if (!json.parsed || isBad(json.parsed.value)) return { kind: `mutate:${kinds.join('+')}`, json };
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function caseVariant(rng: Rng, keys: string[]): string {
  // An earlier mutation may have added the empty key, which has no first letter to change.
  const named = keys.filter((k) => k !== '');
  if (!named.length) return 'Fuzz';
  const key = rng.pick(named);
  return rng.pick([key.toUpperCase(), key[0]!.toUpperCase() + key.slice(1), `${key}_`, ` ${key}`, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + '_x']);
}

/**
 * [[[…]]] or {"a":{"a":…}} `depth` levels deep, as a raw token: JSON.stringify (V8's, like any
 * recursive serializer) overflows the stack on such values long before JSON.parse does.
 */
export function nest(depth: number, arrays: boolean): string {
  return rawToken(arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** JSON texts that do not parse: made from a valid body (truncated, corrupted) or from nothing. */
export function brokenJson(rng: Rng, valid: string): { kind: string; text: string | Buffer } {
  return rng.weighted<() => { kind: string; text: string | Buffer }>([
    [4, () => ({ kind: 'json:truncated', text: valid.slice(0, rng.int(1, Math.max(1, valid.length - 1))) })],
    [
      3,
      () => {
        const at = rng.int(0, valid.length);
        return { kind: 'json:corrupted', text: valid.slice(0, at) + rng.pick(['{', '}', '[', ']', '"', ':', ',', '\\', '\u0000', '\n', "'", 'x']) + valid.slice(at) };
      },
    ],
    [2, () => ({ kind: 'json:single-quotes', text: valid.replace(/"/g, "'") })],
    [2, () => ({ kind: 'json:trailing-comma', text: valid.replace(/([}\]])$/, ',$1') })],
    [1, () => ({ kind: 'json:comment', text: `/* c */${valid}` })],
    [1, () => ({ kind: 'json:trailing-garbage', text: `${valid}${rng.pick(['x', ',', '}', ']', '{}', ' null', '\u0000'])}` })],
    [1, () => ({ kind: 'json:bom', text: `\ufeff${valid.slice(0, -1)}` })],
    [1, () => ({ kind: 'json:raw-control-char', text: valid.replace(/"([^"]*)"/, `"$1\u0001\u0000"`) })],
    [
      3,
      () => ({
        kind: 'json:garbage',
        text: rng.pick(['{', '}', '[', '{"a"}', '{"a":}', '{,}', '{"a":1,,}', '{"a" 1}', '{a:1}', 'undefined', 'NaN', '-', '"', '"\\u12"', '{"\\ud800":1', '\u0000', "{'a':1}", '[1,]', 'nul', '{}}', '[[]', '{"a":"\\x41"}', '{"a":01}']),
      }),
    ],
    [1, () => ({ kind: 'json:bad-utf8', text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, rng.pick([0xc0, 0xff, 0xfe, 0xed]), 0xaf, 0x22, 0x7d]) })],
    [1, () => ({ kind: 'json:unbalanced-deep', text: '['.repeat(rng.int(1000, 60_000)) })],
  ])();
}

/**
 * Bodies that parse but are not the object a route takes: other JSON types at the top, the
 * valid body wrapped in an array, nested thousands deep (under the size limit).
 */
export function wrongShapeJson(rng: Rng, example: unknown): { kind: string; json: JsonText } {
  return rng.weighted<() => { kind: string; json: JsonText }>([
    [2, () => ({ kind: 'shape:array-of-body', json: toJsonText([example]) })],
    [2, () => ({ kind: 'shape:empty-array', json: toJsonText([]) })],
    [2, () => ({ kind: 'shape:scalar', json: toJsonText(rng.pick<unknown>(['str', 0, 1.5, true, false, null, ''])) })],
    [2, () => ({ kind: 'shape:deep-arrays', json: toJsonText(nest(rng.int(1000, 20_000), true)) })],
    [2, () => ({ kind: 'shape:deep-objects', json: toJsonText(nest(rng.int(1000, 12_000), false)) })],
    [
      2,
      () => ({
        kind: 'shape:proto-pollution',
        json: toJsonText(
          rng.pick<unknown>([
            JSON.parse('{"__proto__":{"isAdmin":true,"polluted":1}}'),
            JSON.parse('{"constructor":{"prototype":{"polluted":1}}}'),
            JSON.parse('{"__proto__":null}'),
            JSON.parse('{"prototype":{"polluted":1}}'),
          ]),
        ),
      }),
    ],
  ])();
}

/** A body over `limitBytes`: a long string field, a long array, or many keys. */
export function hugeJson(rng: Rng, limitBytes: number, example: unknown): { kind: string; text: string } {
  const over = limitBytes + rng.int(1024, limitBytes);
  return rng.weighted<() => { kind: string; text: string }>([
    [3, () => ({ kind: 'huge:string-field', text: JSON.stringify(isObject(example) ? { ...example, [Object.keys(example)[0] ?? 'x']: 'x'.repeat(over) } : { x: 'x'.repeat(over) }) })],
    [1, () => ({ kind: 'huge:array', text: `[${'1,'.repeat(Math.ceil(over / 2))}1]` })],
    [1, () => ({ kind: 'huge:many-keys', text: `{${Array.from({ length: Math.ceil(over / 12) }, (_, i) => `"k${i}":${i}`).join(',')}}` })],
  ])();
}

/** Content types a JSON route does not read, odd charsets and broken headers. */
export const WRONG_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/json; charset=utf-16',
  'application/json; charset=latin-9',
  'application/json; charset=nonsense',
  'application/vnd.api+json',
  'application/json-patch+json',
  'application/',
  '*/*',
  'json',
  ';;;',
  'application/json, text/plain',
];

/** A valid body of `schema`: the given example, or one made from the schema. */
export function validExample(schema: JsonSchema, examples: readonly unknown[] | undefined, rng: Rng): unknown {
  if (examples?.length) return rng.pick(examples);
  return exampleOf(schema);
}

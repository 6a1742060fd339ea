/**
 * The part of JSON Schema (draft 2020-12, as zod's toJSONSchema and OpenAPI 3.1 write it) a
 * fuzzer needs: whether a body is valid, a valid body to start from, and where a body's fields
 * are. Lengths count UTF-16 code units, as zod (and so the services) do.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | boolean;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

const patterns = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = new RegExp(pattern);
    }
    patterns.set(pattern, re);
  }
  return re;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 32; hops++) {
    const path = s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean);
    let target: unknown = root;
    for (const part of path) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target as JsonSchema;
  }
  return s;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether `value` satisfies `schema`. Iterative, so a body nested thousands deep is judged
 * without a stack overflow. Numbers must be finite (JSON has no Infinity; `1e999` parses to it).
 */
export function isValid(schema: JsonSchema | boolean, value: unknown, root: JsonSchema | boolean = schema): boolean {
  const stack: [JsonSchema | boolean, unknown][] = [[schema, value]];
  const rootSchema = typeof root === 'boolean' ? {} : root;
  while (stack.length) {
    const [raw, v] = stack.pop()!;
    if (raw === true) continue;
    if (raw === false) return false;
    const s = resolveRef(raw, rootSchema);
    if (s.anyOf && !s.anyOf.some((alt) => isValid(alt, v, rootSchema))) return false;
    if (s.oneOf && s.oneOf.filter((alt) => isValid(alt, v, rootSchema)).length !== 1) return false;
    if (s.allOf) for (const part of s.allOf) stack.push([part, v]);
    if (s.not && isValid(s.not, v, rootSchema)) return false;
    if (s.const !== undefined && !deepEqual(s.const, v)) return false;
    if (s.enum && !s.enum.some((e) => deepEqual(e, v))) return false;
    if (typeof v === 'number' && !Number.isFinite(v)) return false;
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      const t = typeOf(v);
      if (!types.some((want) => want === t || (want === 'number' && t === 'integer'))) return false;
    }
    if (typeof v === 'string') {
      if (s.minLength !== undefined && v.length < s.minLength) return false;
      if (s.maxLength !== undefined && v.length > s.maxLength) return false;
      if (s.pattern !== undefined && !regex(s.pattern).test(v)) return false;
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) return false;
      if (s.maximum !== undefined && v > s.maximum) return false;
      if (s.exclusiveMinimum !== undefined && !(v > s.exclusiveMinimum)) return false;
      if (s.exclusiveMaximum !== undefined && !(v < s.exclusiveMaximum)) return false;
      if (s.multipleOf !== undefined && !Number.isInteger(v / s.multipleOf)) return false;
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) return false;
      if (s.maxItems !== undefined && v.length > s.maxItems) return false;
      if (s.items !== undefined) for (const item of v) stack.push([s.items, item]);
    }
    if (isPlainObject(v)) {
      for (const key of s.required ?? []) if (!Object.prototype.hasOwnProperty.call(v, key)) return false;
      for (const key of Object.keys(v)) {
        const prop = s.properties && Object.prototype.hasOwnProperty.call(s.properties, key) ? s.properties[key] : undefined;
        if (prop !== undefined) stack.push([prop, v[key]]);
        else if (s.additionalProperties !== undefined) stack.push([s.additionalProperties, v[key]]);
        if (s.propertyNames) stack.push([s.propertyNames, key]);
      }
    }
  }
  return true;
}

/** Strings tried, in order, for a string field with a pattern when no example is given. */
const CANDIDATE_STRINGS = ['vc', 'a', 'abc', 'test', 'x1', 'name', 'a-b', 'A', 'Abc', '1', 'https://example.com/x', '/tmp/x', 'a.b', 'a_b', 'alice.bsky.social'];

/** A small valid instance of `schema` (required fields only), or undefined when none is found. */
export function exampleOf(schema: JsonSchema | boolean, root: JsonSchema | boolean = schema, depth = 0): unknown {
  if (schema === true) return {};
  if (schema === false || depth > 32) return undefined;
  const rootSchema = typeof root === 'boolean' ? {} : root;
  const s = resolveRef(schema, rootSchema);
  const ok = (v: unknown) => (isValid(s, v, rootSchema) ? v : undefined);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined && isValid(s, s.default, rootSchema)) return s.default;
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const v = exampleOf(alt, rootSchema, depth + 1);
    if (v !== undefined && isValid(s, v, rootSchema)) return v;
  }
  const types = s.type === undefined ? (s.properties ? ['object'] : []) : Array.isArray(s.type) ? s.type : [s.type];
  for (const t of types) {
    if (t === 'null') return null;
    if (t === 'boolean') return true;
    if (t === 'integer' || t === 'number') {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : 1);
      const v = ok(Math.max(lo, Math.min(1, s.maximum ?? 1)));
      if (v !== undefined) return v;
      if (ok(lo) !== undefined) return lo;
    }
    if (t === 'string') {
      const min = s.minLength ?? 0;
      for (const c of [...CANDIDATE_STRINGS, 'a'.repeat(Math.max(1, min))]) if (ok(c) !== undefined) return c;
    }
    if (t === 'array') {
      const item = s.items === undefined ? 'x' : exampleOf(s.items, rootSchema, depth + 1);
      const v = ok(Array.from({ length: s.minItems ?? 0 }, () => item));
      if (v !== undefined) return v;
    }
    if (t === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) {
        const prop = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : true);
        const v = exampleOf(prop, rootSchema, depth + 1);
        if (v === undefined) return undefined;
        out[key] = v;
      }
      if (ok(out) !== undefined) return out;
    }
  }
  return undefined;
}

/** Where a field sits in a body: a path of keys and indexes, with its schema. */
export interface Slot {
  path: (string | number)[];
  schema: JsonSchema | boolean;
  /** The schema of the object holding it, when it is a property. */
  parent?: JsonSchema;
  /** Whether the parent requires it. */
  required: boolean;
}

/** Every field of `value` with the schema it answers to (the root first). */
export function slotsOf(schema: JsonSchema | boolean, value: unknown, root: JsonSchema | boolean = schema): Slot[] {
  const rootSchema = typeof root === 'boolean' ? {} : root;
  const slots: Slot[] = [];
  const visit = (raw: JsonSchema | boolean, v: unknown, path: (string | number)[], parent: JsonSchema | undefined, required: boolean, depth: number) => {
    if (depth > 16) return;
    let s: JsonSchema | boolean = typeof raw === 'boolean' ? raw : resolveRef(raw, rootSchema);
    // A union: the alternative this value satisfies describes its fields.
    if (typeof s !== 'boolean' && (s.anyOf || s.oneOf)) s = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].find((alt) => isValid(alt, v, rootSchema)) ?? s;
    slots.push({ path, schema: s, parent, required });
    if (typeof s === 'boolean') return;
    if (isPlainObject(v)) {
      for (const [key, child] of Object.entries(v)) {
        const prop = s.properties?.[key] ?? (s.additionalProperties === undefined ? true : s.additionalProperties);
        visit(prop, child, [...path, key], s, (s.required ?? []).includes(key), depth + 1);
      }
    } else if (Array.isArray(v) && s.items !== undefined) {
      v.forEach((item, i) => visit(s.items as JsonSchema | boolean, item, [...path, i], undefined, false, depth + 1));
    }
  };
  visit(schema, value, [], undefined, true, 0);
  return slots;
}

export function getAt(value: unknown, path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown> | undefined)?.[key];
  return v;
}

/** A copy of `value` with the field at `path` replaced (or removed when `replacement` is REMOVE). */
export function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === REMOVE && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  // defineProperty, so a "__proto__" key stays an own, enumerable key as JSON.parse makes it.
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (replacement === REMOVE && rest.length === 0) delete copy[head as string];
  else Object.defineProperty(copy, head as string, { value: setAt(copy[head as string], rest, replacement), enumerable: true, writable: true, configurable: true });
  return copy;
}

export const REMOVE: unique symbol = Symbol('remove');

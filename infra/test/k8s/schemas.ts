import { createRequire } from 'node:module';
import ts from 'typescript';

/**
 * Schema checks for rendered Kubernetes objects, without a cluster:
 *
 * - `validateSchema`: kubernetes-models' validator for the object's apiVersion and kind (the
 *   Kubernetes OpenAPI schemas compiled to ajv; KEDA's CRDs through @kubernetes-models/keda). It
 *   checks types, enums and required fields, but NOT unknown fields: the compiled schemas carry no
 *   `additionalProperties: false`, so `replica: 3` or `livenessProbes:` pass it.
 * - `unknownFields`: that missing check. kubernetes-models ships, beside each validator, the same
 *   schema as TypeScript declarations (`I<Kind>` with every field of the OpenAPI definition), so
 *   the object is walked against those types with the TypeScript checker: a key that is neither a
 *   property of its type nor allowed by an index signature (labels, annotations, resource
 *   quantities, ConfigMap data) is an unknown field.
 *
 * A kind that neither package knows is an error, never skipped.
 */

const require = createRequire(import.meta.url);

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

interface Model {
  Class: ModelClass;
  /** The .d.ts declaring `I<Kind>`. */
  declarations: string;
}

/** The module of a kind: kubernetes-models/<group>/<version>/<Kind>, core kinds under v1/. */
function moduleOf(apiVersion: string, kind: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw new Error(`"${kind}" is not a Kubernetes kind`);
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) throw new Error(`"${apiVersion}" is not a Kubernetes apiVersion`);
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const models = new Map<string, Model>();

export function modelOf(apiVersion: string, kind: string): Model {
  const key = `${apiVersion}/${kind}`;
  let model = models.get(key);
  if (model) return model;
  const id = moduleOf(apiVersion, kind);
  let file: string;
  try {
    file = require.resolve(id);
  } catch {
    throw new Error(`no schema for ${kind} (${apiVersion}): neither kubernetes-models nor @kubernetes-models/keda defines it`);
  }
  const Class = (require(file) as Record<string, ModelClass>)[kind];
  // The module of a sub-type (DeploymentSpec, ...) exists too: only a top-level kind has these.
  if (!Class || Class.kind !== kind || Class.apiVersion !== apiVersion) {
    throw new Error(`no schema for ${kind} (${apiVersion}): ${id} is not a top-level kind`);
  }
  model = { Class, declarations: file.replace(/\.js$/, '.d.ts') };
  models.set(key, model);
  return model;
}

/** The validator's complaints, e.g. ["data/spec/replicas must be integer"]; [] when valid. */
export function validateSchema(object: KubeObject): string[] {
  const { Class } = modelOf(object.apiVersion, object.kind);
  try {
    new Class(object).validate();
    return [];
  } catch (error) {
    return (error as Error).message.split('\n').filter((line) => line.trim() !== '');
  }
}

// One TypeScript program over the declarations of every kind met so far. Building one costs about
// a second, so `unknownFields` of a list of objects builds it once for all their kinds.
let program: ts.Program | undefined;
const rootFiles = new Set<string>();
const options: ts.CompilerOptions = {
  noEmit: true,
  skipLibCheck: true,
  noResolve: false,
  types: [],
  lib: ['lib.es2020.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

function programFor(declarations: string[]): ts.Program {
  const missing = declarations.filter((file) => !rootFiles.has(file));
  if (!program || missing.length > 0) {
    for (const file of missing) rootFiles.add(file);
    program = ts.createProgram({ rootNames: [...rootFiles], options, oldProgram: program });
  }
  return program;
}

function typeOfKind(model: Model, kind: string): { checker: ts.TypeChecker; type: ts.Type } {
  const current = programFor([model.declarations]);
  const checker = current.getTypeChecker();
  const source = current.getSourceFile(model.declarations);
  if (!source) throw new Error(`cannot read ${model.declarations}`);
  const declaration = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`,
  );
  if (!declaration) throw new Error(`${model.declarations} declares no interface I${kind}`);
  return { checker, type: checker.getTypeAtLocation(declaration.name) };
}

/** Loads the declarations of every kind among these objects in one go (unknown kinds are left to the checks). */
export function prepareSchemas(objects: KubeObject[]): void {
  const files: string[] = [];
  for (const object of objects) {
    try {
      files.push(modelOf(object.apiVersion, object.kind).declarations);
    } catch {
      // reported by validateSchema / unknownFields for that object
    }
  }
  programFor(files);
}

/** Fields of the object that its kind's schema does not define, as paths (`spec.replica`). */
export function unknownFields(object: KubeObject): string[] {
  const model = modelOf(object.apiVersion, object.kind);
  const { checker, type } = typeOfKind(model, object.kind);
  const problems: string[] = [];
  walk(checker, object, type, '', problems);
  return problems;
}

function walk(checker: ts.TypeChecker, value: unknown, declared: ts.Type, path: string, problems: string[]): void {
  if (value === null || typeof value !== 'object') return; // scalars: the validator checks them
  const type = checker.getNonNullableType(declared);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const variants = (type.isUnion() ? type.types : [type]).filter((t) => t.flags & ts.TypeFlags.Object);
  if (Array.isArray(value)) {
    const element = variants.map((t) => checker.getIndexTypeOfType(t, ts.IndexKind.Number)).find((t) => t !== undefined);
    if (element) value.forEach((item, i) => walk(checker, item, element, `${path}[${i}]`, problems));
    return;
  }
  if (variants.length === 0) return; // an object where a scalar belongs: the validator says so
  const properties = new Map<string, ts.Symbol>();
  let indexed: ts.Type | undefined;
  for (const variant of variants) {
    for (const property of checker.getPropertiesOfType(variant)) properties.set(property.name, property);
    indexed ??= checker.getIndexTypeOfType(variant, ts.IndexKind.String);
  }
  // `object` / `{}` (free-form JSON in a few CRD fields) declares nothing to compare with.
  if (properties.size === 0 && !indexed) return;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const property = properties.get(key);
    if (property) walk(checker, child, checker.getTypeOfSymbol(property), at, problems);
    else if (indexed) walk(checker, child, indexed, at, problems);
    else problems.push(`${at}: unknown field (known here: ${[...properties.keys()].sort().join(', ')})`);
  }
}

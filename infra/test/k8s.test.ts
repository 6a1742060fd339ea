import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSchema as datasetBuilderEnv } from '@ttt/dataset-builder/src/config.ts';
import { envSchema as gameApiEnv } from '@ttt/game-api/src/config.ts';
import { envSchema as inferenceEnv } from '@ttt/inference/src/config.ts';
import { envSchema as scraperEnv } from '@ttt/scraper/src/config.ts';
import { envSchema as trainerEnv } from '@ttt/trainer/src/config.ts';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { kustomizeVersion, render, scratchCopy, type Rendered } from './k8s/render.js';
import { prepareSchemas, unknownFields, validateSchema, type KubeObject } from './k8s/schemas.js';

// Renders every overlay of infra/k8s with `kubectl kustomize` (no cluster needed), checks every
// object against its Kubernetes schema (unknown fields included), then checks what the system
// needs of them: probes, security, scaling, the GPU pool, wiring between objects, and that each
// container's environment is one its service accepts. docs/deploy-kubernetes.md.

const k8sDir = fileURLToPath(new URL('../k8s/', import.meta.url));
const overlays = readdirSync(join(k8sDir, 'overlays'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(k8sDir, 'overlays', entry.name, 'kustomization.yaml')))
  .map((entry) => entry.name)
  .sort();
// One-off runs: infra/k8s/train/<env> is overlays/<env> plus the trainer's Job.
const runs = existsSync(join(k8sDir, 'train'))
  ? readdirSync(join(k8sDir, 'train'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(k8sDir, 'train', entry.name, 'kustomization.yaml')))
      .map((entry) => entry.name)
      .sort()
  : [];

/** What an overlay may leave out; every other overlay (a new one included) gets every check. */
const relaxed: Record<string, { gpu?: false; keda?: false }> = {
  // A laptop's kind/minikube: no GPU (the trainer runs on the CPU), no KEDA.
  local: { gpu: false, keda: false },
};

const IMAGE_REPO = 'ghcr.io/twitter-turing-test/';
/** Variables set in pods that no service reads: for Python, torch and CUDA under a read-only root. */
const NON_SERVICE_ENV = new Set(['HOME', 'XDG_CACHE_HOME']);
/** A placeholder an operator must replace (secret.env.example, bucket names, the KEDA namespace). */
const PLACEHOLDER = /CHANGE[-_]ME/i;

type Json = Record<string, any>;
interface Workload {
  object: KubeObject;
  pod: Json;
  labels: Record<string, string>;
}
interface Container extends Json {
  name: string;
  image: string;
}

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as (KubeObject & Json)[];
const find = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as (KubeObject & Json) | undefined;
const id = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

function workloads(objects: KubeObject[]): Workload[] {
  return objects.flatMap((object): Workload[] => {
    const o = object as Json;
    if (['Deployment', 'StatefulSet', 'Job', 'ReplicaSet', 'DaemonSet'].includes(object.kind)) {
      return [{ object, pod: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} }];
    }
    if (object.kind === 'CronJob') {
      const template = o.spec.jobTemplate.spec.template;
      return [{ object, pod: template.spec, labels: template.metadata?.labels ?? {} }];
    }
    return [];
  });
}

const containersOf = (pod: Json): Container[] => [...(pod.initContainers ?? []), ...pod.containers];
const ours = (c: Container) => c.image.startsWith(IMAGE_REPO);
const repoOf = (image: string) => image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
const tagOf = (image: string) => /:([^/:@]+)(@|$)/.exec(image)?.[1];

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function decoded(secret: Json): Record<string, string> {
  const out: Record<string, string> = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return out;
}

/** The container's environment as the kubelet builds it: envFrom first, env over it. */
function environment(objects: KubeObject[], container: Container): Record<string, string> {
  const configMap = (name: string) => (find(objects, 'ConfigMap', name)?.data ?? {}) as Record<string, string>;
  const secret = (name: string) => {
    const s = find(objects, 'Secret', name);
    return s ? decoded(s) : {};
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    Object.assign(env, source.configMapRef ? configMap(source.configMapRef.name) : secret(source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) env[variable.name] = variable.value ?? '';
    else if (from.secretKeyRef) env[variable.name] = secret(from.secretKeyRef.name)[from.secretKeyRef.key] ?? '';
    else if (from.configMapKeyRef) env[variable.name] = configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key] ?? '';
    else env[variable.name] = `<${Object.keys(from)[0]}>`;
  }
  return env;
}

/** The schema a container's process validates its environment with, or undefined for others' images. */
function schemaOf(container: Container): z.ZodObject | undefined {
  const command = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  if (command.includes('migrate.cli.js')) return gameApiEnv.pick({ DATABASE_URL: true }); // libs/db's migrator reads only this
  if (command.includes('train.cli.js')) return trainerEnv.omit({ PORT: true });
  const schemas: Record<string, z.ZodObject> = {
    'game-api': gameApiEnv,
    inference: inferenceEnv,
    scraper: scraperEnv,
    'dataset-builder': datasetBuilderEnv,
    trainer: trainerEnv,
  };
  return ours(container) ? schemas[repoOf(container.image).slice(IMAGE_REPO.length)] : undefined;
}

/** Does an Ingress path send this request path to its backend? */
function routes(path: { path: string; pathType: string }, request: string): boolean {
  if (path.pathType === 'Exact') return path.path === request;
  // Prefix (and ImplementationSpecific, read as the widest): element-wise, and '/' takes all.
  const prefix = path.path.replace(/\/+$/, '');
  return prefix === '' || request === prefix || request.startsWith(`${prefix}/`);
}

function cpuCores(quantity: string | number): number {
  const text = String(quantity);
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

/** References from pod specs to ConfigMaps, Secrets (and their keys), volumes and claims that do not resolve. */
function referenceProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const need = (kind: string, name: string, key: string | undefined, optional: boolean | undefined, at: string) => {
    const target = find(objects, kind, name);
    if (!target) return optional || problems.push(`${at}: ${kind}/${name} does not exist`);
    const keys = kind === 'Secret' ? Object.keys(decoded(target)) : Object.keys(target.data ?? {});
    if (key !== undefined && !keys.includes(key) && !optional) problems.push(`${at}: ${kind}/${name} has no key ${key}`);
  };
  for (const { object, pod } of workloads(objects)) {
    const claims = new Set(((object as Json).spec.volumeClaimTemplates ?? []).map((t: Json) => t.metadata.name));
    for (const c of containersOf(pod)) {
      const at = `${id(object)} ${c.name}`;
      for (const source of c.envFrom ?? []) {
        if (source.configMapRef) need('ConfigMap', source.configMapRef.name, undefined, source.configMapRef.optional, at);
        if (source.secretRef) need('Secret', source.secretRef.name, undefined, source.secretRef.optional, at);
      }
      for (const variable of c.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
        if (ref) need(variable.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name, ref.key, ref.optional, `${at} ${variable.name}`);
      }
      for (const mount of c.volumeMounts ?? []) {
        if (!(pod.volumes ?? []).some((v: Json) => v.name === mount.name) && !claims.has(mount.name)) problems.push(`${at}: mounts undeclared volume ${mount.name}`);
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.configMap) need('ConfigMap', v.configMap.name, undefined, v.configMap.optional, id(object));
      if (v.secret) need('Secret', v.secret.secretName, undefined, v.secret.optional, id(object));
      if (v.persistentVolumeClaim) need('PersistentVolumeClaim', v.persistentVolumeClaim.claimName, undefined, false, id(object));
    }
  }
  return problems;
}

/**
 * Each of our containers' environment against its service's own schema (services/<name>/src/config.ts):
 * values it would refuse at start, and variables it does not read (a typo'd name is silently ignored
 * by the service, so only this catches it).
 */
function environmentProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const { object, pod } of workloads(objects)) {
    for (const c of containersOf(pod)) {
      const schema = schemaOf(c);
      if (!schema) continue;
      const at = `${id(object)} ${c.name}`;
      const env = environment(objects, c);
      const known = new Set(Object.keys(schema.shape));
      for (const name of Object.keys(env)) if (!known.has(name) && !NON_SERVICE_ENV.has(name)) problems.push(`${at}: sets ${name}, which the service does not read`);
      // As the services' loadConfig (libs/config) does: an empty variable is an unset one.
      const given = Object.fromEntries(Object.entries(env).filter(([name, value]) => known.has(name) && value !== ''));
      const result = schema.safeParse(given);
      // A marked placeholder may fail (some do on purpose, so nothing runs with one); anything
      // else is a wrong value in the manifests.
      for (const issue of result.error?.issues ?? []) {
        const name = String(issue.path[0] ?? '(environment)');
        if (!PLACEHOLDER.test(given[name] ?? '')) problems.push(`${at}: ${name} ${given[name] === undefined ? 'is missing' : 'is invalid'}: ${issue.message}`);
      }
    }
  }
  return problems;
}

let scratch: { dir: string; remove: () => void } | undefined;
const rendered = new Map<string, Rendered>();
/** Renders infra/k8s/<path> (from the scratch copy), once. */
function rendering(path: string): Rendered {
  let result = rendered.get(path);
  if (!result) {
    scratch ??= scratchCopy(k8sDir);
    result = render(join(scratch.dir, path));
    prepareSchemas(result.objects);
    rendered.set(path, result);
  }
  return result;
}
afterAll(() => scratch?.remove());

describe('kubectl', () => {
  it('is installed, with kustomize v5 or later', () => {
    expect(Number(/^v?(\d+)/.exec(kustomizeVersion())?.[1])).toBeGreaterThanOrEqual(5);
  });
});

it('finds the overlays to check', () => {
  expect(overlays).toEqual(expect.arrayContaining(['production', 'staging']));
});

describe.each(overlays)('overlay %s', (overlay) => {
  const expect_ = { gpu: relaxed[overlay]?.gpu ?? true, keda: relaxed[overlay]?.keda ?? true };
  let objects: KubeObject[] = [];
  let namespace = '';
  beforeEach(() => {
    objects = rendering(`overlays/${overlay}`).objects;
    namespace = byKind(objects, 'Namespace')[0]?.metadata.name ?? '';
  });

  it('renders with kustomize v5 without warnings (no deprecated fields)', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(rendering(`overlays/${overlay}`).warnings).toBe('');
  });

  it('every object passes its Kubernetes schema and has no unknown field', () => {
    const problems = objects.flatMap((o) => {
      try {
        return [...validateSchema(o), ...unknownFields(o)].map((p) => `${id(o)}: ${p}`);
      } catch (error) {
        return [`${id(o)}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });

  it('puts everything in the one namespace it declares; no kind/name twice', () => {
    expect(byKind(objects, 'Namespace')).toHaveLength(1);
    expect(namespace).toMatch(/^[a-z0-9-]+$/);
    const stray = objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== namespace).map(id);
    expect(stray).toEqual([]);
    const names = objects.map(id);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('Deployments: liveness, readiness and startup probes on the health routes, requests and limits, non-root', () => {
    const deployments = byKind(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining(['game-api', 'inference-gateway', 'inference-worker', 'scraper', 'dataset-builder', 'trainer']),
    );
    const problems: string[] = [];
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      if (!selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)) problems.push(`${id(d)}: selector does not match its pod labels`);
      if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${id(d)}: pod securityContext.runAsNonRoot is not true`);
      if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${id(d)}: no RuntimeDefault seccomp profile`);
      for (const c of containersOf(pod)) {
        const at = `${id(d)} container ${c.name}`;
        for (const r of ['cpu', 'memory']) if (!c.resources?.requests?.[r]) problems.push(`${at}: no ${r} request`);
        if (!c.resources?.limits?.memory) problems.push(`${at}: no memory limit`);
        const sc = c.securityContext ?? {};
        if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
        if (sc.runAsUser === 0 || sc.runAsNonRoot === false) problems.push(`${at}: runs as root`);
      }
      for (const c of pod.containers as Container[]) {
        const at = `${id(d)} container ${c.name}`;
        const ports = (c.ports ?? []) as Json[];
        const probe = (kind: string, path: string) => {
          const p = c[kind];
          if (!p?.httpGet) return problems.push(`${at}: no ${kind} (HTTP GET ${path})`);
          if (p.httpGet.path !== path) problems.push(`${at}: ${kind} on ${p.httpGet.path}, expected ${path}`);
          if (!ports.some((port) => port.name === p.httpGet.port || port.containerPort === p.httpGet.port)) problems.push(`${at}: ${kind} port ${p.httpGet.port} is not a container port`);
        };
        probe('livenessProbe', '/health');
        probe('readinessProbe', '/health/ready');
        probe('startupProbe', '/health');
        // The service listens on PORT; the container port, the probes and the scrape follow it.
        const http = ports.find((p) => p.name === 'http');
        const portEnv = (c.env ?? []).find((e: Json) => e.name === 'PORT')?.value;
        if (!http || String(http.containerPort) !== portEnv) problems.push(`${at}: PORT=${portEnv} is not the "http" container port ${http?.containerPort}`);
        const annotations = d.spec.template.metadata.annotations ?? {};
        if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/path'] !== '/metrics' || annotations['prometheus.io/port'] !== String(http?.containerPort)) {
          problems.push(`${at}: prometheus.io annotations do not point at /metrics on ${http?.containerPort}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("our containers run read-only with a writable /tmp", () => {
    const problems: string[] = [];
    for (const { object, pod } of workloads(objects)) {
      for (const c of containersOf(pod).filter(ours)) {
        if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${id(object)} ${c.name}: root filesystem not read-only`);
        const tmp = (c.volumeMounts ?? []).find((m: Json) => m.mountPath === '/tmp');
        const volume = (pod.volumes ?? []).find((v: Json) => v.name === tmp?.name);
        if (!volume?.emptyDir) problems.push(`${id(object)} ${c.name}: /tmp is not an emptyDir`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('pins image tags; the trainer runs the CUDA variant where there is a GPU', () => {
    const images = workloads(objects).flatMap(({ pod }) => containersOf(pod).map((c) => c.image));
    const unpinned = images.filter((i) => !/@sha256:/.test(i) && (!tagOf(i) || tagOf(i) === 'latest'));
    expect(unpinned).toEqual([]);
    const trainer = images.filter((i) => repoOf(i) === `${IMAGE_REPO}trainer`);
    expect(trainer.length).toBeGreaterThan(0);
    if (expect_.gpu) for (const image of trainer) expect(tagOf(image)).toMatch(/cuda$/);
  });

  it("Services select one workload's pods, and their targetPorts are its container ports", () => {
    const problems: string[] = [];
    for (const s of byKind(objects, 'Service')) {
      const matched = workloads(objects).filter((w) => selects(s.spec.selector, w.labels));
      if (matched.length !== 1) {
        problems.push(`${id(s)}: selector ${JSON.stringify(s.spec.selector)} matches ${matched.length} workloads`);
        continue;
      }
      const ports = (matched[0]!.pod.containers as Container[]).flatMap((c) => (c.ports ?? []) as Json[]);
      for (const port of s.spec.ports as Json[]) {
        const target = port.targetPort ?? port.port;
        if (!ports.some((p) => p.name === target || p.containerPort === target)) problems.push(`${id(s)} port ${port.name ?? port.port}: targetPort ${target} is no container port of ${id(matched[0]!.object)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every Deployment behind a Service has a PodDisruptionBudget that selects its pods', () => {
    const pdbs = byKind(objects, 'PodDisruptionBudget');
    const behind = byKind(objects, 'Deployment').filter((d) => byKind(objects, 'Service').some((s) => selects(s.spec.selector, d.spec.template.metadata.labels)));
    expect(behind.map((d) => d.metadata.name)).toEqual(expect.arrayContaining(['game-api', 'inference-gateway']));
    for (const d of behind) {
      expect(pdbs.filter((p) => selects(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), `${id(d)} has no PDB`).toHaveLength(1);
    }
    for (const p of pdbs) {
      expect(workloads(objects).some((w) => selects(p.spec.selector.matchLabels, w.labels)), `${id(p)} selects nothing`).toBe(true);
    }
  });

  it('scales game-api with an autoscaling/v2 HPA on CPU; autoscaled Deployments set no replica count', () => {
    const hpas = byKind(objects, 'HorizontalPodAutoscaler');
    const game = hpas.find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === 'game-api');
    expect(game?.apiVersion).toBe('autoscaling/v2');
    expect(game?.spec.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]));
    const targets = [
      ...hpas.map((h) => h.spec.scaleTargetRef.name as string),
      ...byKind(objects, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name as string),
    ];
    for (const h of hpas) {
      expect(find(objects, h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name), `${id(h)} targets nothing`).toBeDefined();
      expect(h.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(h.spec.maxReplicas).toBeGreaterThanOrEqual(h.spec.minReplicas);
    }
    expect(new Set(targets).size, 'a Deployment scaled by two autoscalers').toBe(targets.length);
    // A replica count in the manifest would reset the autoscaler's choice on every apply.
    for (const name of targets) expect(find(objects, 'Deployment', name)?.spec.replicas, `Deployment/${name}`).toBeUndefined();
  });

  it('scales inference-worker with KEDA on the inference queue, prioritized jobs included', () => {
    const scaled = byKind(objects, 'ScaledObject');
    if (!expect_.keda) return expect(scaled).toEqual([]);
    const so = scaled.find((s) => s.spec.scaleTargetRef.name === 'inference-worker');
    expect(so, 'no ScaledObject targets inference-worker').toBeDefined();
    expect(find(objects, 'Deployment', 'inference-worker')).toBeDefined();
    expect(so!.spec.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
    expect(so!.spec.minReplicaCount).toBeGreaterThanOrEqual(1); // workers also refill the game's pool
    expect(so!.spec.maxReplicaCount).toBeGreaterThan(so!.spec.minReplicaCount);
    const trigger = (so!.spec.triggers as Json[]).find((t) => t.type === 'prometheus');
    expect(trigger, 'no prometheus trigger').toBeDefined();
    const { query, threshold, serverAddress } = trigger!.metadata as Record<string, string>;
    expect(serverAddress).toMatch(/^https?:\/\/[^/]+/);
    expect(Number(threshold)).toBeGreaterThan(0);
    // sum over states of the max over game-api replicas (each exports the same figures).
    const shape = /^sum\s*\(\s*max\s+by\s*\(\s*state\s*\)\s*\(\s*ttt_queue_jobs\s*\{([^}]*)\}\s*\)\s*\)$/.exec(query.trim());
    expect(shape, `query ${query}`).not.toBeNull();
    const matchers = Object.fromEntries(
      shape![1]!.split(',').map((m) => {
        const parts = /^\s*(\w+)\s*(=~|=)\s*"([^"]*)"\s*$/.exec(m);
        expect(parts, `matcher ${m}`).not.toBeNull();
        return [parts![1], { op: parts![2], value: parts![3] }];
      }),
    );
    expect(matchers.queue).toEqual({ op: '=', value: 'inference' });
    expect(matchers.namespace, "the query must keep to this overlay's namespace").toEqual({ op: '=', value: namespace });
    expect(matchers.state?.op).toBe('=~');
    expect(new Set(matchers.state!.value.split('|'))).toEqual(new Set(['waiting', 'prioritized', 'active']));
  });

  it('runs the trainer on the GPU pool', () => {
    const trainer = find(objects, 'Deployment', 'trainer')!;
    const pod = trainer.spec.template.spec;
    const limits = pod.containers[0].resources.limits;
    if (!expect_.gpu) return expect(limits['nvidia.com/gpu']).toBeUndefined();
    expect(String(limits['nvidia.com/gpu'])).toBe('1');
    expect(pod.nodeSelector).toEqual({ 'ttt/pool': 'gpu' });
    expect(pod.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' })]));
    // One GPU and a ReadWriteOnce volume: a rolling update would wait for itself forever.
    expect(trainer.spec.strategy?.type).toBe('Recreate');
  });

  it('every referenced ConfigMap, Secret (and key) and PersistentVolumeClaim exists', () => {
    expect(referenceProblems(objects)).toEqual([]);
  });

  it("gives each container an environment its service accepts, naming only variables it reads", () => {
    expect(environmentProblems(objects)).toEqual([]);
  });

  it('exposes the game, /api and /admin through the Ingress, never /metrics or /health', () => {
    const ingresses = byKind(objects, 'Ingress');
    expect(ingresses).toHaveLength(1);
    const paths = ingresses.flatMap((i) => (i.spec.rules as Json[]).flatMap((r) => r.http.paths as Json[]));
    const reach = (request: string) => paths.filter((p) => routes(p as { path: string; pathType: string }, request));
    for (const request of ['/', '/api/rounds', '/admin/categories', '/assets/index-abc123.js', '/stats', '/leaderboard']) {
      expect(reach(request).map((p) => p.backend.service.name), request).toContain('game-api');
    }
    for (const request of ['/metrics', '/health', '/health/ready']) expect(reach(request), request).toEqual([]);
    for (const p of paths) {
      const service = find(objects, 'Service', p.backend.service.name);
      expect(service, `backend ${p.backend.service.name}`).toBeDefined();
      const port = p.backend.service.port;
      expect((service!.spec.ports as Json[]).some((sp) => sp.name === port.name || sp.port === port.number), `port ${JSON.stringify(port)}`).toBe(true);
    }
    for (const rule of ingresses[0]!.spec.rules as Json[]) expect(rule.host).toMatch(/^[a-z0-9.-]+$/);
  });

  it('migrates the database in game-api before its server starts, from the same image', () => {
    const pod = find(objects, 'Deployment', 'game-api')!.spec.template.spec;
    const migrate = (pod.initContainers ?? []).find((c: Container) => (c.args ?? []).join(' ') === 'node libs/db/dist/migrate/migrate.cli.js');
    expect(migrate, 'no migrate init container').toBeDefined();
    expect(migrate.command, "the image's entrypoint (tini) must stay").toBeUndefined();
    expect(migrate.image).toBe(pod.containers[0].image);
  });

  it("sizes onnxruntime's threads to the inference workers' CPUs", () => {
    const c = find(objects, 'Deployment', 'inference-worker')!.spec.template.spec.containers[0];
    const threads = c.env.find((e: Json) => e.name === 'INFERENCE_THREADS')?.value;
    expect(Number(threads)).toBe(cpuCores(c.resources.limits.cpu));
    expect(cpuCores(c.resources.requests.cpu)).toBe(cpuCores(c.resources.limits.cpu));
  });
});

describe.each(runs)('training run train/%s', (overlay) => {
  let objects: KubeObject[] = [];
  beforeEach(() => {
    objects = rendering(`train/${overlay}`).objects;
  });

  it('is made from an overlay', () => {
    expect(overlays).toContain(overlay);
  });

  it('adds only the Job trainer-train to its overlay, and only the Job carries its label', () => {
    const base = rendering(`overlays/${overlay}`).objects.map(id);
    expect(objects.map(id).filter((n) => !base.includes(n))).toEqual(['Job/trainer-train']);
    const labelled = objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'trainer-train');
    expect(labelled.map(id)).toEqual(['Job/trainer-train']);
    const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name;
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== namespace).map(id)).toEqual([]);
    const problems = objects.flatMap((o) => [...validateSchema(o), ...unknownFields(o)].map((p) => `${id(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('runs the trainer CLI on the GPU pool with the CUDA image, with its config and secrets', () => {
    const job = find(objects, 'Job', 'trainer-train')!;
    const pod = job.spec.template.spec;
    const c = pod.containers[0] as Container;
    expect(pod.restartPolicy).toBe('Never');
    expect(c.command, "the image's entrypoint (tini) must stay").toBeUndefined();
    expect(c.args.slice(0, 2)).toEqual(['node', 'services/trainer/dist/train/train.cli.js']);
    expect(c.args).toContain('--dataset');
    expect(c.args.join(' ')).not.toMatch(PLACEHOLDER);
    expect(String(c.resources.limits['nvidia.com/gpu'])).toBe('1');
    expect(pod.nodeSelector).toEqual({ 'ttt/pool': 'gpu' });
    expect(pod.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' })]));
    expect(tagOf(c.image)).toMatch(/cuda$/);
    expect(c.image).toBe(find(objects, 'Deployment', 'trainer')!.spec.template.spec.containers[0].image);
    const env = environment(objects, c);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ARTIFACT_STORE_URL', 'TRAINER_DEVICE']) expect(env[name], name).toBeTruthy();
    expect(referenceProblems(objects)).toEqual([]);
    expect(environmentProblems(objects)).toEqual([]);
  });
});

describe('secret.env.example', () => {
  const example = Object.fromEntries(
    readFileSync(join(k8sDir, 'secret.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it("holds every key the overlays' Secret is read for", () => {
    const keys = new Set<string>();
    for (const file of ['game-api', 'inference-gateway', 'inference-worker', 'scraper', 'dataset-builder', 'trainer']) {
      for (const match of readFileSync(join(k8sDir, 'base', `${file}.yaml`), 'utf8').matchAll(/name: ttt-secrets\s+key: (\w+)/g)) keys.add(match[1]!);
    }
    expect(keys.size).toBeGreaterThan(5);
    expect(Object.keys(example).sort()).toEqual([...keys].sort());
  });

  it('leaves game-api refusing to start until its secrets are replaced', () => {
    const result = gameApiEnv.safeParse({ ...example, DATABASE_URL: 'postgresql://x@db/ttt', REDIS_URL: 'redis://cache:6379' });
    const problems = (result.error?.issues ?? []).map((issue) => String(issue.path[0]));
    expect(problems.sort()).toEqual(['ADMIN_API_KEYS', 'GAME_SESSION_SECRET']);
  });
});

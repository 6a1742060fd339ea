import { collectDefaultMetrics, Registry } from 'prom-client';

/** The service's Prometheus registry, with process metrics and a `service` label on all. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

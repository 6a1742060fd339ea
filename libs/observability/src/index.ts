export { createJsonLogger } from './logging/json-logger.js';
export { createMetricsRegistry } from './metrics/metrics-registry.js';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module.js';
export { DependencyProbe, type ProbeResult } from './health/dependency-probe.js';
export { bootstrapService, type ServiceConfig } from './bootstrap/bootstrap-service.js';
export { ProgressBar, type ProgressBarOptions } from './progress/progress-bar.js';
export { InJobContext } from './logging/in-job-context.js';
export { applyToEveryRequest, type NodeMiddleware } from './http/apply-to-every-request.js';

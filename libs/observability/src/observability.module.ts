import { type DynamicModule, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DependencyProbe } from './health/dependency-probe.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { createMetricsRegistry } from './metrics/metrics-registry.js';

export interface ObservabilityOptions {
  service: string;
  databaseUrl: string;
  redisUrl: string;
}

/** /health, /health/ready and /metrics for a service, and its metrics registry to inject. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Registry, useFactory: () => createMetricsRegistry(options.service) },
        { provide: DependencyProbe, useFactory: () => new DependencyProbe(options.databaseUrl, options.redisUrl) },
      ],
      exports: [Registry],
    };
  }
}

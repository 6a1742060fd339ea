import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Registry } from 'prom-client';
import { DependencyProbe } from './health/dependency-probe.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { createMetricsRegistry } from './metrics/metrics-registry.js';
import { applyToEveryRequest } from './http/apply-to-every-request.js';
import { requestIdMiddleware } from './logging/request-id.middleware.js';

export interface ObservabilityOptions {
  service: string;
  databaseUrl: string;
  redisUrl: string;
}

/**
 * /health, /health/ready and /metrics for a service, its metrics registry to inject, and a
 * request id on every request.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  configure(consumer: MiddlewareConsumer): void {
    applyToEveryRequest(consumer, this.adapterHost, requestIdMiddleware);
  }

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

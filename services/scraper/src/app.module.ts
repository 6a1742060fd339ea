import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventPublisher, QueueName, redisConnection } from '@ttt/contracts';
import { DbModule, PG_POOL } from '@ttt/db';
import { ObservabilityModule } from '@ttt/observability';
import type pg from 'pg';
import { type Config, SCRAPER_CONFIG } from './config.js';
import { ImportProcessor } from './import/import.processor.js';
import { ScrapeAccountProcessor } from './scrape/scrape-account.processor.js';
import { ScrapeProcessor } from './scrape/scrape.processor.js';
import { ScrapeRepository } from './scrape/scrape.repository.js';
import { TIMELINE_SOURCES } from './scrape/scrape.tokens.js';
import { ScrapeMetrics } from './scrape/scrape-metrics.js';
import { timelineSources, type TimelineSources } from './scrape/timeline-sources.js';
import { Registry } from 'prom-client';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'scraper', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: 3 * config.IMPORT_CONCURRENCY + config.SCRAPE_CONCURRENCY + 2 }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QueueName.import }, { name: QueueName.scrape }, { name: QueueName.scrapeAccount }),
      ],
      providers: [
        { provide: SCRAPER_CONFIG, useValue: config },
        { provide: EventPublisher, useFactory: () => new EventPublisher(config.REDIS_URL) },
        { provide: ScrapeRepository, useFactory: (pool: pg.Pool) => new ScrapeRepository(pool), inject: [PG_POOL] },
        { provide: TIMELINE_SOURCES, useFactory: () => timelineSources(config) },
        { provide: ScrapeMetrics, useFactory: (registry: Registry, timeline: TimelineSources) => new ScrapeMetrics(registry, timeline), inject: [Registry, TIMELINE_SOURCES] },
        ImportProcessor,
        ScrapeProcessor,
        ScrapeAccountProcessor,
      ],
    };
  }
}

import { type DynamicModule, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { PrismaService } from './prisma.service.js';

/** A plain pg pool beside Prisma, for bulk paths (COPY, set-based SQL) Prisma does not cover. */
export const PG_POOL = Symbol('PG_POOL');

@Module({})
export class DbModule implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  static forRoot(options: { databaseUrl: string; poolSize?: number }): DynamicModule {
    return {
      module: DbModule,
      global: true,
      providers: [
        { provide: PrismaService, useFactory: () => new PrismaService(options.databaseUrl) },
        {
          provide: PG_POOL,
          useFactory: () => {
            const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 5 });
            // An idle client dropped by the server (restart, failover) must not crash the process.
            pool.on('error', () => {});
            return pool;
          },
        },
      ],
      exports: [PrismaService, PG_POOL],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}

import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { DependencyProbe } from './dependency-probe.js';

/** What Express's response and Fastify's reply both offer. */
interface StatusSetter {
  status(code: number): unknown;
}

@Controller('health')
export class HealthController {
  constructor(@Inject(DependencyProbe) private readonly probe: DependencyProbe) {}

  /** Liveness: the process answers. Dependencies are readiness's business. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: StatusSetter) {
    const { postgres, redis } = await this.probe.check();
    const ok = postgres.ok && redis.ok;
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis } };
  }
}

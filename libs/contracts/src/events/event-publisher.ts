import { Redis } from 'ioredis';
import type { EventName } from './event-names.js';
import { publishEvent } from './publish-event.js';

/** One Redis connection a service announces its events on; closed with the service. */
export class EventPublisher {
  private readonly redis: Redis;

  constructor(redisUrl: string) {
    // Events are hints: a Redis outage must not hold up the work that produced them.
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  }

  async publish(name: EventName, data: unknown): Promise<number> {
    return publishEvent(this.redis, name, data);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

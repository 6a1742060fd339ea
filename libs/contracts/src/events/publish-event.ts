import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { EventName } from './event-names.js';
import * as payloads from './event-payloads.js';

const schemas: Record<EventName, z.ZodType> = {
  [EventName.tweetsImported]: payloads.tweetsImportedEvent,
  [EventName.tweetsScraped]: payloads.tweetsScrapedEvent,
  [EventName.datasetBuilt]: payloads.datasetBuiltEvent,
  [EventName.modelPublished]: payloads.modelPublishedEvent,
  [EventName.modelActivated]: payloads.modelActivatedEvent,
};

/**
 * Announces an event on the Redis channel of its name, in the envelope @nestjs/microservices'
 * Redis transport reads (`{pattern, data}`), so an `@EventPattern(name)` handler receives it.
 * Returns how many subscribers got it: events are hints, nobody listening is not an error.
 */
export async function publishEvent(redis: Redis, name: EventName, data: unknown): Promise<number> {
  const payload = schemas[name].parse(data);
  return redis.publish(name, JSON.stringify({ pattern: name, data: payload }));
}

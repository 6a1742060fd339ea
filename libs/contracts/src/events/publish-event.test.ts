import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { EventName } from './event-names.js';
import { publishEvent } from './publish-event.js';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('publishEvent', () => {
  const publisher = new Redis(url);
  const subscriber = new Redis(url);
  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });

  it('delivers the payload in the Nest microservices envelope on the channel of its name', async () => {
    await subscriber.subscribe(EventName.datasetBuilt);
    // Other test processes may announce on the same channel, and listen to it, at the same time.
    const received: unknown[] = [];
    subscriber.on('message', (_channel, message) => received.push(JSON.parse(message)));
    expect(await publishEvent(publisher, EventName.datasetBuilt, { datasetId: 7, category: 'vc' })).toBeGreaterThanOrEqual(1);
    await expect.poll(() => received).toContainEqual({ pattern: 'dataset.built', data: { datasetId: 7, category: 'vc' } });
  });

  it('refuses a payload that breaks the event’s schema', async () => {
    await expect(publishEvent(publisher, EventName.modelPublished, { modelVersionId: 'x' })).rejects.toThrow(/modelVersionId/);
  });
});

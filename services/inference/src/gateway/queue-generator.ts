import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName, TypedQueue } from '@ttt/contracts';
import { GenerationAbortedError, QueueFullError } from '../engine/generation-errors.js';
import type { GenerateBody } from '../generation/generate-body.js';
import type { GenerateResponse, ScoreResponse } from '../generation/generation-types.js';
import type { Generator } from '../generation/generator.js';
import { CANCEL_CHANNEL } from './cancel-channel.js';
import { RemoteGenerationError } from './remote-generation-error.js';

/**
 * The gateway's generator: each request becomes a job on the `inference` queue, which any
 * worker takes into its running batch; the answer comes back on the queue's event stream.
 * Workers scale on that queue's depth.
 */
export class QueueGenerator implements Generator {
  private readonly queue: TypedQueue<typeof QueueName.inference>;

  constructor(
    queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
    private readonly options: { timeoutMs: number; maxQueue: number; maxBatch: number },
  ) {
    this.queue = new TypedQueue(QueueName.inference, queue);
  }

  generate(model: string, body: GenerateBody, signal: AbortSignal): Promise<GenerateResponse> {
    return this.send({ kind: 'generate', model, body, deadline: Date.now() + this.options.timeoutMs }, signal);
  }

  score(model: string, text: string, signal: AbortSignal): Promise<ScoreResponse> {
    return this.send({ kind: 'score', model, text, deadline: Date.now() + this.options.timeoutMs }, signal);
  }

  private async send<T>(data: Parameters<TypedQueue<typeof QueueName.inference>['add']>[0], signal: AbortSignal): Promise<T> {
    const waiting = await this.queue.queue.getWaitingCount();
    if (waiting >= this.options.maxQueue) throw new QueueFullError(Math.max(1, Math.ceil(waiting / this.options.maxBatch)));
    const job = await this.queue.add(data);
    const cancel = () => {
      // Still waiting: take it off the queue. Taken: tell the worker holding it.
      job.remove().catch(() => this.redis.publish(CANCEL_CHANNEL, job.id!).catch(() => {}));
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return (await Promise.race([
        job.waitUntilFinished(this.events, this.options.timeoutMs + 1000),
        new Promise<never>((_, reject) => {
          const fail = () => reject(signal.reason instanceof Error ? signal.reason : new GenerationAbortedError('aborted'));
          if (signal.aborted) fail();
          signal.addEventListener('abort', fail, { once: true });
        }),
      ])) as T;
    } catch (error) {
      if (error instanceof GenerationAbortedError) throw error;
      const message = (error as Error).message;
      if (message.startsWith('Job wait') && message.includes('timed out')) throw new GenerationAbortedError('timeout');
      throw RemoteGenerationError.fromFailedReason(message);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }
}

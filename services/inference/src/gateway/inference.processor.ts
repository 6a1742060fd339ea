import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { describeIssues, QueueName, redisConnection, takeJobPayload } from '@ttt/contracts';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Config, INFERENCE_CONFIG } from '../config.js';
import { GenerationAbortedError } from '../engine/generation-errors.js';
import { generateBodySchema } from '../generation/generate-body.js';
import { LocalGenerator } from '../generation/local-generator.js';
import { ModelRegistry } from '../models/model-registry.js';
import { describeFailure } from '../http/http-errors.js';
import { CANCEL_CHANNEL } from './cancel-channel.js';
import { InJobContext } from '@ttt/observability';

/**
 * A worker's side of the `inference` queue: every job joins this process's running batch, up
 * to a batch's worth at once, so a worker takes only what it can start now and leaves the rest
 * on the queue for others.
 */
@Injectable()
export class InferenceProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InferenceProcessor.name);
  private worker?: Worker;
  private subscriber?: Redis;
  private readonly running = new Map<string, AbortController>();
  private closing = false;
  private readonly body: ReturnType<typeof generateBodySchema>;

  constructor(
    private readonly generator: LocalGenerator,
    private readonly registry: ModelRegistry,
    @Inject(INFERENCE_CONFIG) private readonly config: Config,
  ) {
    this.body = generateBodySchema(config.INFERENCE_MAX_NEW_TOKENS);
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on('error', (error) => this.logger.warn({ msg: 'cancel channel', error: error.message }));
    await this.subscriber.connect();
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    this.subscriber.on('message', (_channel, jobId: string) => this.running.get(jobId)?.abort(new GenerationAbortedError('disconnected')));
    this.worker = new Worker(QueueName.inference, (job) => this.process(job), {
      connection: redisConnection(this.config.REDIS_URL),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.INFERENCE_MAX_BATCH,
      // A client is waiting on each job. When a worker dies (kill -9, OOM), the jobs it held go
      // back on the queue only once their lock lapses and a stalled check sees it: with BullMQ's
      // defaults (30 s lock, 30 s checks) that came after the request's own deadline, so the
      // gateway answered 503 after 30 s. With these, another worker has them within ~10 s and
      // answers them (the fault drill infra/drills: kill-inference-worker). Locks are renewed
      // every 2.5 s; decode steps are tens of milliseconds, so a live worker never lets one lapse.
      lockDuration: 5_000,
      stalledInterval: 2_500,
      // Started below, once the active models are loaded.
      autorun: false,
    });
    this.worker.on('error', (error) => this.logger.warn({ msg: 'inference worker', error: error.message }));
    // A worker that took requests before its models were loaded answered each "still loading"
    // (503), while workers already serving could have answered them: a worker added under load
    // failed the very requests it was added for (the fault drill in infra/drills). So it starts
    // taking requests once the active versions are loaded (or failed to load: then as before).
    const worker = this.worker;
    void this.registry
      .refresh()
      .catch(() => {})
      .then(() => (this.closing ? undefined : worker.run()))
      .catch((error: Error) => this.logger.warn({ msg: 'inference worker', error: error.message }));
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.worker?.close();
    await this.subscriber?.quit().catch(() => {});
  }

  @InJobContext()
  private async process(job: Job): Promise<unknown> {
    const payload = takeJobPayload(QueueName.inference, job.data);
    const left = payload.deadline - Date.now();
    if (left <= 0) throw new UnrecoverableError(JSON.stringify({ status: 503, retryAfterSeconds: 1, message: 'the request timed out waiting for a worker' }));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new GenerationAbortedError('timeout')), left);
    this.running.set(job.id!, controller);
    try {
      if (payload.kind === 'score') return await this.generator.score(payload.model, payload.text);
      const body = this.body.safeParse(payload.body);
      if (!body.success) throw new UnrecoverableError(JSON.stringify({ status: 400, retryAfterSeconds: null, message: describeIssues(body.error.issues) }));
      return await this.generator.generate(payload.model, body.data, controller.signal);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure) throw new UnrecoverableError(JSON.stringify(failure));
      throw new UnrecoverableError(JSON.stringify({ status: 500, retryAfterSeconds: null, message: (error as Error).message }));
    } finally {
      clearTimeout(timer);
      this.running.delete(job.id!);
    }
  }
}

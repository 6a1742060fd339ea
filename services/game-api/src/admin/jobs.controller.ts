import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { JobPayloadError, QueueName, TypedQueue } from '@ttt/contracts';
import type { Job } from 'bullmq';
import type { AdminQueues } from './admin-queues.js';
import { ADMIN_QUEUES } from './admin.tokens.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { CategoriesRepository } from './categories.repository.js';
import { type Enqueueable, strictJobBody } from './job-bodies.js';
import { formatJobId, parseJobId } from './job-id.js';
import { parseBody } from './request-body.js';

const CANCELLABLE = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

@Controller('admin/jobs')
@UseGuards(ApiKeyGuard)
export class JobsController {
  constructor(
    @Inject(ADMIN_QUEUES) private readonly queues: AdminQueues,
    private readonly categories: CategoriesRepository,
  ) {}

  @Post('scrape')
  @HttpCode(202)
  async scrape(@Body() body: unknown) {
    const payload = parseBody(strictJobBody(QueueName.scrape), body) as { category: string };
    if ((await this.categories.findId(payload.category)) === null) throw new NotFoundException(`category ${payload.category} does not exist`);
    return this.enqueue(QueueName.scrape, body);
  }

  @Post('build-dataset')
  @HttpCode(202)
  buildDataset(@Body() body: unknown) {
    return this.enqueue(QueueName.buildDataset, body);
  }

  @Post('train')
  @HttpCode(202)
  train(@Body() body: unknown) {
    return this.enqueue(QueueName.train, body);
  }

  @Post('import')
  @HttpCode(202)
  import(@Body() body: unknown) {
    return this.enqueue(QueueName.import, body);
  }

  /** More machine tweets of a version for the game's pool (the inference workers keep it full on their own). */
  @Post('generate')
  @HttpCode(202)
  generate(@Body() body: unknown) {
    return this.enqueue(QueueName.generate, body);
  }

  /** Evaluates a version again (distinct-n, memorization, detector accuracy). */
  @Post('evaluate')
  @HttpCode(202)
  evaluate(@Body() body: unknown) {
    return this.enqueue(QueueName.evaluate, body);
  }

  @Get(':id')
  async get(@Param('id') raw: string) {
    const { queue, job } = await this.find(raw);
    return {
      id: formatJobId(queue, job.id),
      queue,
      state: await job.getState(),
      progress: job.progress ?? null,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      result: job.returnvalue ?? null,
      data: job.data,
      createdAt: iso(job.timestamp),
      processedAt: iso(job.processedOn),
      finishedAt: iso(job.finishedOn),
    };
  }

  /**
   * Removes a job that has not started. BullMQ 6.7 can abort an active job only from inside the
   * worker process running it (Worker.cancelJob), not from here: an active job is refused.
   */
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') raw: string) {
    const { queue, job } = await this.find(raw);
    const id = formatJobId(queue, job.id);
    const state = await job.getState();
    if (state === 'active') {
      throw new ConflictException(`job ${id} is running and cannot be cancelled yet: BullMQ 6.7 aborts an active job only from the worker process that runs it`);
    }
    if (!CANCELLABLE.has(state)) throw new ConflictException(`job ${id} is ${state}: only a job that has not started can be cancelled`);
    try {
      await job.remove();
    } catch (error) {
      // Taken by a worker (locked) between reading its state and removing it.
      throw new ConflictException(`job ${id} could not be cancelled: ${(error as Error).message}`);
    }
    return { id, queue, cancelled: true };
  }

  @Post(':id/retry')
  @HttpCode(200)
  async retry(@Param('id') raw: string) {
    const { queue, job } = await this.find(raw);
    const id = formatJobId(queue, job.id);
    const state = await job.getState();
    if (state !== 'failed') throw new ConflictException(`job ${id} is ${state}: only a failed job can be retried`);
    try {
      await job.retry('failed');
    } catch (error) {
      throw new ConflictException(`job ${id} could not be retried: ${(error as Error).message}`);
    }
    return { id, queue, retried: true, state: await job.getState() };
  }

  private async enqueue(queue: Enqueueable, body: unknown) {
    parseBody(strictJobBody(queue), body);
    let job: Job;
    try {
      job = await new TypedQueue(queue, this.queues.get(queue)!).add(body as never);
    } catch (error) {
      if (error instanceof JobPayloadError) throw new BadRequestException(error.message);
      throw error;
    }
    return { id: formatJobId(queue, job.id), queue, state: await job.getState() };
  }

  private async find(raw: string): Promise<{ queue: QueueName; job: Job }> {
    const { queue, id } = parseJobId(raw);
    const job = await this.queues.get(queue)!.getJob(id);
    if (!job) throw new NotFoundException(`job ${raw} does not exist`);
    return { queue, job };
  }
}

function iso(ms: number | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}

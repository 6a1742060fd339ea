import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { jobDefaults, QueueName, takeJobPayload, currentRequestId } from '@ttt/contracts';
import { type Job, type Queue, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import type { ScrapeAccountResult } from './scrape-account.js';
import { ScrapeRepository } from './scrape.repository.js';
import { InJobContext } from '@ttt/observability';

export interface ScrapeSummary {
  category: string;
  accounts: number;
  completed: number;
  failed: number;
  pages: number;
  inserted: number;
  failures: string[];
}

/**
 * `scrape` jobs: a category's scrape as a BullMQ flow. The first pass adds one
 * `scrape-account` child per active source account and waits for them; the second, once every
 * child has finished (failed ones included), sums them up.
 */
@Processor(QueueName.scrape)
export class ScrapeProcessor extends WorkerHost {
  private readonly logger = new Logger(ScrapeProcessor.name);

  constructor(
    private readonly repo: ScrapeRepository,
    @InjectQueue(QueueName.scrapeAccount) private readonly accounts: Queue,
  ) {
    super();
  }

  @InJobContext()
  async process(job: Job, token?: string): Promise<ScrapeSummary> {
    const { category } = takeJobPayload(QueueName.scrape, job.data);
    if (job.data.step !== 'summarise') {
      const found = await this.repo.category(category);
      if (!found) throw new UnrecoverableError(`Unknown category "${category}"`);
      const ids = await this.repo.activeAccountIds(found.id);
      if (ids.length === 0) return { category, accounts: 0, completed: 0, failed: 0, pages: 0, inserted: 0, failures: [] };
      await this.accounts.addBulk(
        ids.map((sourceAccountId) => ({
          name: QueueName.scrapeAccount,
          // Each account's work logs under the request that asked for the scrape.
          data: { sourceAccountId, requestId: currentRequestId() },
          opts: {
            ...jobDefaults[QueueName.scrapeAccount],
            // One child per account and scrape: a retried fan-out adds nothing twice.
            jobId: `${job.id}-account-${sourceAccountId}`,
            parent: { id: job.id!, queue: job.queueQualifiedName },
            ignoreDependencyOnFailure: true,
          },
        })),
      );
      await job.updateData({ ...job.data, step: 'summarise' });
      this.logger.log({ msg: 'scrape fanned out', jobId: job.id, category, accounts: ids.length });
      if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
    }
    const done = Object.values(await job.getChildrenValues()) as ScrapeAccountResult[];
    const failures = Object.values(await job.getIgnoredChildrenFailures());
    const summary: ScrapeSummary = {
      category,
      accounts: done.length + failures.length,
      completed: done.filter((r) => r.outcome === 'completed').length,
      failed: failures.length,
      pages: done.reduce((n, r) => n + r.pages, 0),
      inserted: done.reduce((n, r) => n + r.inserted, 0),
      failures: failures.map(String),
    };
    this.logger.log({ msg: 'scrape finished', jobId: job.id, ...summary });
    return summary;
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type ImportSummary, QueueName, takeJobPayload } from '@ttt/contracts';
import { PG_POOL } from '@ttt/db';
import { type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { importTweets, UnknownCategoryError } from './import-tweets.js';
import { TweetImportRepository } from './tweet-import.repository.js';
import { type Config, SCRAPER_CONFIG } from '../config.js';
import { InJobContext } from '@ttt/observability';

/** `import` jobs: the CLI's import, run by a worker, with progress on the job. */
@Processor(QueueName.import)
export class ImportProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportProcessor.name);
  private readonly repo: TweetImportRepository;

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(SCRAPER_CONFIG) private readonly config: Config,
  ) {
    super();
    this.repo = new TweetImportRepository(pool);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.IMPORT_CONCURRENCY;
  }

  @InJobContext()
  async process(job: Job): Promise<ImportSummary> {
    const payload = takeJobPayload(QueueName.import, job.data);
    this.logger.log({ msg: 'import started', jobId: job.id, ...payload });
    try {
      const summary = await importTweets(this.repo, {
        ...payload,
        onProgress: (s, read) =>
          void job
            .updateProgress({
              fraction: read.bytesTotal ? Math.min(1, read.bytesRead / read.bytesTotal) : null,
              read: s.read,
              inserted: s.inserted,
              rejected: Object.values(s.rejected).reduce((a, b) => a + b, 0),
            })
            .catch(() => {}),
      });
      this.logger.log({ msg: 'import finished', jobId: job.id, ...summary, rejections: summary.rejections.length });
      return summary;
    } catch (error) {
      // A category that does not exist will not appear by retrying.
      if (error instanceof UnknownCategoryError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}

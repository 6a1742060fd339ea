import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventName, EventPublisher, QueueName, takeJobPayload } from '@ttt/contracts';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { type Config, SCRAPER_CONFIG } from '../config.js';
import { SourceError } from '../sources/source-errors.js';
import { systemClock } from '../transport/clock.js';
import { RateLimitedYield, scrapeAccount, type ScrapeAccountResult } from './scrape-account.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { ScrapeRepository } from './scrape.repository.js';
import { TIMELINE_SOURCES } from './scrape.tokens.js';
import type { TimelineSources } from './timeline-sources.js';
import { InJobContext } from '@ttt/observability';

// Read when the worker is declared; the same variable was validated into the config at start.
const LOCK_MS = Number(process.env.SCRAPE_LOCK_MS ?? 60_000);

/**
 * `scrape-account` jobs: one account's timeline walk. A rate limit that resets soon is waited
 * out; a longer one puts the job back as delayed until the reset, freeing the worker for
 * another account. Failures an operator must fix (credentials, a locked account, a stale query
 * id) fail at once with what to do; network trouble retries with backoff, from the checkpoint.
 */
@Processor(QueueName.scrapeAccount, { lockDuration: LOCK_MS, stalledInterval: Math.max(1000, LOCK_MS / 2) })
export class ScrapeAccountProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScrapeAccountProcessor.name);

  constructor(
    private readonly repo: ScrapeRepository,
    @Inject(TIMELINE_SOURCES) private readonly timeline: TimelineSources,
    @Inject(SCRAPER_CONFIG) private readonly config: Config,
    private readonly events: EventPublisher,
    private readonly metrics: ScrapeMetrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SCRAPE_CONCURRENCY;
  }

  @InJobContext()
  async process(job: Job, token?: string): Promise<ScrapeAccountResult> {
    const { sourceAccountId } = takeJobPayload(QueueName.scrapeAccount, job.data);
    try {
      const result = await scrapeAccount(
        {
          repo: this.repo,
          sources: this.timeline.sources,
          clock: systemClock,
          maxWaitMs: this.config.SCRAPE_MAX_WAIT_MS,
          maxPages: this.config.SCRAPE_MAX_PAGES,
          pageAttempts: 4,
          log: (entry) => this.logger.log({ jobId: job.id, sourceAccountId, ...entry }),
          metrics: this.metrics,
        },
        sourceAccountId,
        job.id,
        (p) => void job.updateProgress(p).catch(() => {}),
      );
      if (result.inserted > 0) {
        const account = await this.repo.account(sourceAccountId);
        await this.events
          .publish(EventName.tweetsScraped, { category: account!.category, sourceAccountId, inserted: result.inserted })
          .catch(() => 0);
      }
      return result;
    } catch (error) {
      if (error instanceof RateLimitedYield && token) {
        this.logger.log({ msg: 'yielding until the rate limit resets', jobId: job.id, sourceAccountId, until: error.resetAt.toISOString() });
        await job.moveToDelayed(error.resetAt.getTime(), token);
        throw new DelayedError();
      }
      if (error instanceof SourceError && ['auth_failed', 'account_locked', 'bad_request'].includes(error.kind)) {
        throw new UnrecoverableError(`${error.kind}: ${error.message}${HINTS[error.kind] ?? ''}`);
      }
      throw error;
    }
  }
}

const HINTS: Record<string, string> = {
  auth_failed: ' — check X_AUTH_TOKEN / X_CT0 (or the bearer token) and retry the job',
  account_locked: ' — the scraping account needs a person to unlock it on x.com',
  bad_request: ' — X_QUERY_IDS or X_FEATURES are stale: copy them from X’s current web client',
};

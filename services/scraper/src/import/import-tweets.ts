import type { ImportSummary } from '@ttt/contracts';
import { parseTwintLine } from '../sources/twint/parse-twint-line.js';
import { type ReadProgress, readTwintLines } from '../sources/twint/twint-line-reader.js';
import type { TweetBatchRow, TweetImportRepository } from './tweet-import.repository.js';

export interface ImportOptions {
  category: string;
  from: string;
  batchSize?: number;
  /** Batches written at once; each takes a connection of the pool. */
  concurrency?: number;
  /** Called at most a few times a second with the counts so far. */
  onProgress?: (counts: ImportSummary, read: ReadProgress) => void;
  /** How many rejected lines to list individually (all are counted). */
  maxListedRejections?: number;
}

export class UnknownCategoryError extends Error {
  constructor(category: string, known: string[]) {
    super(
      `Unknown category "${category}". Known: ${known.length ? known.join(', ') : '(none)'}. ` +
        'Add it with a handle list in sources/<category>.txt and run `npm run seed:sources`.',
    );
    this.name = 'UnknownCategoryError';
  }
}

/**
 * Streams twint JSON lines into the store as human tweets of a category. Memory stays flat:
 * at most `concurrency` batches are held at once, and reading waits for the writer.
 */
export async function importTweets(repo: TweetImportRepository, options: ImportOptions): Promise<ImportSummary> {
  const { category, from, batchSize = 2000, concurrency = 2, maxListedRejections = 100 } = options;
  const categoryId = await repo.categoryId(category);
  if (categoryId === null) throw new UnknownCategoryError(category, await repo.categorySlugs());

  const started = performance.now();
  const summary: ImportSummary = {
    category,
    read: 0,
    inserted: 0,
    alreadyPresent: 0,
    linkedToCategory: 0,
    rejected: {},
    rejections: [],
    seconds: 0,
  };
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: null };
  let lastReport = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 200)) return;
    lastReport = now;
    summary.seconds = (now - started) / 1000;
    options.onProgress(summary, progress);
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const flush = (batch: TweetBatchRow[]) => {
    const p = repo
      .writeBatch(categoryId, batch)
      .then((r) => {
        summary.inserted += r.inserted;
        summary.linkedToCategory += r.linked - r.inserted;
        summary.alreadyPresent += batch.length - r.linked;
        report();
      })
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let batch: TweetBatchRow[] = [];
  for await (const line of readTwintLines(from, progress)) {
    summary.read++;
    const parsed = parseTwintLine(line.text);
    if (parsed.ok) {
      const row = parsed.tweet as TweetBatchRow;
      row.originRef = `${line.source}:${line.line}`;
      batch.push(row);
    } else {
      summary.rejected[parsed.reason] = (summary.rejected[parsed.reason] ?? 0) + 1;
      if (summary.rejections.length < maxListedRejections) {
        summary.rejections.push({ source: line.source, line: line.line, reason: `${parsed.reason}: ${parsed.detail}` });
      }
    }
    if (batch.length >= batchSize) {
      flush(batch);
      batch = [];
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure) break;
    }
    if ((summary.read & 1023) === 0) report();
  }
  if (batch.length && !failure) flush(batch);
  await Promise.all(inFlight);
  if (failure) throw failure;
  summary.seconds = (performance.now() - started) / 1000;
  report(true);
  return summary;
}

import type { ImportSummary } from '@ttt/contracts';
import { parseTwintLine } from '../sources/twint/parse-twint-line.js';
import type { RejectReason } from '../sources/twint/twint-record.js';
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
  /** A URL that sends nothing for this long fails the import. */
  idleTimeoutMs?: number;
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

// Errors about the data of a row (SQLSTATE class 22 data exception, 23 integrity, 54 limits,
// P0 raised by a trigger): worth finding the row. Anything else (a lost connection) stops.
const ROW_LEVEL = /^(22|23|54|P0)/;
const isRowLevel = (error: unknown) => ROW_LEVEL.test(String((error as { code?: unknown }).code ?? ''));

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, not ${value}`);
  return value;
}

/**
 * Streams twint JSON lines into the store as human tweets of a category. Memory stays flat:
 * at most `concurrency` batches are held at once, and reading waits for the writer.
 */
export async function importTweets(repo: TweetImportRepository, options: ImportOptions): Promise<ImportSummary> {
  const { category, from, maxListedRejections = 100 } = options;
  const batchSize = positiveInt('batchSize', options.batchSize ?? 2000);
  const concurrency = positiveInt('concurrency', options.concurrency ?? 3);
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
  const reject = (source: string, line: number, reason: RejectReason, detail: string) => {
    summary.rejected[reason] = (summary.rejected[reason] ?? 0) + 1;
    if (summary.rejections.length < maxListedRejections) summary.rejections.push({ source, line, reason: `${reason}: ${detail}` });
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

  const write = async (batch: TweetBatchRow[]) => {
    try {
      const r = await repo.writeBatch(categoryId, batch);
      summary.inserted += r.inserted;
      summary.linkedToCategory += r.linked - r.inserted;
      summary.alreadyPresent += batch.length - r.linked;
    } catch (error) {
      if (!isRowLevel(error) || batch.length === 1) throw error;
      // Rare: the database refused something in the batch. Find the rows it refuses, one
      // by one, and report them like any malformed line; the rest go in.
      for (const row of batch) {
        try {
          await write([row]);
        } catch (rowError) {
          if (!isRowLevel(rowError)) throw rowError;
          reject(row.source, row.line, 'db_rejected', (rowError as Error).message);
        }
      }
    }
    report();
  };

  // The ids of batches being written. A later line of the same tweet (a file holding it twice)
  // is already present by the time its batch commits: it is counted so and not sent, which
  // spares the writers from meeting on the unique index.
  const inFlight = new Map<Promise<void>, Set<string>>();
  let failure: unknown = null;
  const flush = (lines: TweetBatchRow[]) => {
    const batch = lines.filter((r) => ![...inFlight.values()].some((ids) => ids.has(r.platformId)));
    summary.alreadyPresent += lines.length - batch.length;
    const p = write(batch)
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.set(p, new Set(batch.map((r) => r.platformId)));
  };

  try {
    let batch: TweetBatchRow[] = [];
    for await (const line of readTwintLines(from, { progress, idleTimeoutMs: options.idleTimeoutMs })) {
      summary.read++;
      if (line.tooLong) {
        reject(line.source, line.line, 'line_too_long', `${line.bytes} bytes without a line break`);
        continue;
      }
      const parsed = parseTwintLine(line.text);
      if (parsed.ok) {
        batch.push({ ...parsed.tweet, source: line.source, line: line.line });
      } else {
        reject(line.source, line.line, parsed.reason, parsed.detail);
      }
      if (batch.length >= batchSize) {
        flush(batch);
        batch = [];
        while (inFlight.size >= concurrency) await Promise.race(inFlight.keys());
        if (failure) break;
      }
      if ((summary.read & 1023) === 0) report();
    }
    if (batch.length && !failure) flush(batch);
  } finally {
    // Whatever stopped the reading, no write is left running behind the caller's back.
    await Promise.allSettled(inFlight.keys());
  }
  if (failure) throw failure;
  summary.seconds = (performance.now() - started) / 1000;
  report(true);
  return summary;
}

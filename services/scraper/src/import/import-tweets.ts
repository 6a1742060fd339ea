import type { ImportSummary } from '@ttt/contracts';
import { parseTwintLine } from '../sources/twint/parse-twint-line.js';
import type { RejectReason } from '../sources/twint/twint-record.js';
import { type ReadProgress, readTwintLines } from '../sources/twint/twint-line-reader.js';
import type { BatchResult, TweetBatchRow, TweetImportRepository } from './tweet-import.repository.js';

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
// P0 raised by a trigger): worth finding the row. Anything else stops the import: a lost
// connection, or a foreign key violation, which here means the category was deleted.
const ROW_LEVEL = /^(22|23|54|P0)/;
const isRowLevel = (error: unknown) => {
  const code = String((error as { code?: unknown }).code ?? '');
  return ROW_LEVEL.test(code) && code !== '23503';
};

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

  const record = (r: BatchResult, lines: number) => {
    summary.inserted += r.inserted;
    summary.linkedToCategory += r.linked - r.inserted;
    summary.alreadyPresent += lines - r.linked;
  };

  /** Writes a batch; resolves with the ids of rows the database refused (reported as such). */
  const write = async (batch: TweetBatchRow[]): Promise<Set<string>> => {
    const refused = new Set<string>();
    try {
      record(await repo.writeBatch(categoryId, batch), batch.length);
    } catch (error) {
      if (!isRowLevel(error) || batch.length === 1) throw error;
      // Rare: the database refused something in the batch. Find the rows it refuses, one
      // by one, and report them like any malformed line; the rest go in. When the first rows
      // tried alone all fail too, the error is about the batch, not a row: it stops the import.
      const pending: { row: TweetBatchRow; message: string }[] = [];
      let stored = 0;
      for (const row of batch) {
        try {
          record(await repo.writeBatch(categoryId, [row]), 1);
          stored++;
        } catch (rowError) {
          if (!isRowLevel(rowError)) throw rowError;
          pending.push({ row, message: (rowError as Error).message });
          if (stored === 0 && pending.length >= Math.min(3, batch.length)) throw error;
        }
      }
      for (const { row, message } of pending) {
        reject(row.source, row.line, 'db_rejected', message);
        refused.add(row.platformId);
      }
    }
    report();
    return refused;
  };

  // The ids of batches being written. A later line of the same tweet (a file holding it twice)
  // is already present by the time its batch commits: it is counted so and not sent, so the
  // first line is the one kept. Should the database refuse that first line, the later one is
  // written after all.
  const inFlight = new Map<Promise<void>, { ids: Set<string>; dropped: TweetBatchRow[] }>();
  const requeued: TweetBatchRow[] = [];
  let failure: unknown = null;
  const flush = (lines: TweetBatchRow[]) => {
    const held = [...inFlight.values()];
    const batch: TweetBatchRow[] = [];
    for (const r of lines) {
      const holder = held.find((h) => h.ids.has(r.platformId));
      if (holder) {
        holder.dropped.push(r);
        summary.alreadyPresent++;
      } else batch.push(r);
    }
    const entry = { ids: new Set(batch.map((r) => r.platformId)), dropped: [] as TweetBatchRow[] };
    const p = write(batch)
      .then((refused) => {
        for (const r of entry.dropped) {
          if (!refused.has(r.platformId)) continue;
          summary.alreadyPresent--;
          requeued.push(r);
        }
      })
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.set(p, entry);
  };

  try {
    let batch: TweetBatchRow[] = [];
    for await (const line of readTwintLines(from, { progress, idleTimeoutMs: options.idleTimeoutMs })) {
      summary.read++;
      if (line.tooLong) {
        reject(line.source, line.line, 'line_too_long', `${line.bytes} bytes without a line break`);
        continue;
      }
      if (requeued.length) batch.push(...requeued.splice(0));
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
    // Writes still running may send back lines whose first copy the database refused.
    while (inFlight.size && !failure) {
      await Promise.race(inFlight.keys());
      if (requeued.length) flush(requeued.splice(0));
    }
  } finally {
    // Whatever stopped the reading, no write is left running behind the caller's back.
    await Promise.allSettled(inFlight.keys());
  }
  if (failure) throw failure;
  summary.seconds = (performance.now() - started) / 1000;
  report(true);
  return summary;
}

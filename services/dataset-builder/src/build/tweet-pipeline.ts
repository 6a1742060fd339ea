import { join } from 'node:path';
import type { DatasetFilters } from '@ttt/contracts';
import { END_OF_TEXT_ID, type TokenizerPool } from '@ttt/tokenizer';
import { cleanTweetText, DropReason, dropReason, nearDuplicateKey, type TweetRow } from '@ttt/text';
import { type Split, splitOf } from './split-of.js';
import { TokenFileWriter } from './token-file-writer.js';

export interface SplitFile {
  file: string;
  tweets: number;
  tokens: number;
  bytes: number;
  sha256: string;
}

export interface PipelineCounts {
  read: number;
  kept: number;
  dropped: Record<DropReason, number>;
  splits: Record<Split, SplitFile>;
}

/**
 * Tweet rows in, token files out: clean, filter, dedupe, split, tokenize. Each split's file is
 * `<|endoftext|>` then every tweet followed by `<|endoftext|>`, so a window that starts at a
 * separator teaches the model how a tweet begins.
 */
export class TweetPipeline {
  private readonly exact = new Set<string>();
  private readonly near = new Set<string>();
  private readonly dropped = Object.fromEntries(Object.values(DropReason).map((r) => [r, 0])) as Record<DropReason, number>;
  private readonly tweetsIn: Record<Split, number> = { train: 0, val: 0 };
  private readonly splitLines: string[] = [];
  private read = 0;
  // Pages being tokenized, oldest first; their tokens are written in this order.
  private readonly inFlight: Promise<void>[] = [];
  private written: Promise<void> = Promise.resolve();

  private constructor(
    private readonly tokenizer: TokenizerPool,
    private readonly filters: DatasetFilters,
    private readonly valFraction: number,
    private readonly seed: number,
    private readonly writers: Record<Split, TokenFileWriter>,
  ) {}

  static async open(
    dir: string,
    tokenizer: TokenizerPool,
    settings: { filters: DatasetFilters; valFraction: number; seed: number },
  ): Promise<TweetPipeline> {
    const writers = {
      train: await TokenFileWriter.create(join(dir, 'train.bin')),
      val: await TokenFileWriter.create(join(dir, 'val.bin')),
    };
    await writers.train.append([END_OF_TEXT_ID]);
    await writers.val.append([END_OF_TEXT_ID]);
    return new TweetPipeline(tokenizer, settings.filters, settings.valFraction, settings.seed, writers);
  }

  get counts(): { read: number; kept: number } {
    return { read: this.read, kept: this.tweetsIn.train + this.tweetsIn.val };
  }

  /**
   * Cleans, filters, dedupes and splits a page here, and hands its texts to the tokenizer
   * threads; returns once at most two pages are still being tokenized.
   */
  async add(rows: readonly TweetRow[]): Promise<void> {
    const texts: Record<Split, string[]> = { train: [], val: [] };
    for (const row of rows) {
      this.read++;
      const text = cleanTweetText(row.text);
      const reason = dropReason(row, text, this.filters) ?? this.duplicateOf(text);
      if (reason) {
        this.dropped[reason]++;
        continue;
      }
      const split = splitOf(row.platform, row.platformId, this.valFraction, this.seed);
      texts[split].push(text);
      this.tweetsIn[split]++;
      this.splitLines.push(`${row.id}\t${split}`);
    }
    const tokens = Promise.all([this.tokenizer.encodeDocuments(texts.train), this.tokenizer.encodeDocuments(texts.val)]);
    this.written = this.written.then(async () => {
      const [train, val] = await tokens;
      await this.writers.train.append(train);
      await this.writers.val.append(val);
    });
    // Failures surface from add() or close(); marking them handled keeps Node from exiting first.
    tokens.catch(() => {});
    this.written.catch(() => {});
    this.inFlight.push(this.written);
    if (this.inFlight.length > 2) await this.inFlight.shift();
  }

  /** Tweet ids (the database's) with their split, one `id\tsplit` per line. */
  splitsTsv(): string {
    return this.splitLines.length ? `${this.splitLines.join('\n')}\n` : '';
  }

  /** Closes the files after a failure; what was written is left for the caller to delete. */
  async abort(): Promise<void> {
    await this.written.catch(() => {});
    await Promise.allSettled([this.writers.train.close(), this.writers.val.close()]);
  }

  async close(): Promise<PipelineCounts> {
    await this.written;
    const train = await this.writers.train.close();
    const val = await this.writers.val.close();
    return {
      read: this.read,
      kept: this.tweetsIn.train + this.tweetsIn.val,
      dropped: { ...this.dropped },
      splits: {
        train: { file: 'train.bin', tweets: this.tweetsIn.train, ...train },
        val: { file: 'val.bin', tweets: this.tweetsIn.val, ...val },
      },
    };
  }

  private duplicateOf(text: string): DropReason | null {
    if (this.filters.dedupe === 'none') return null;
    if (this.exact.has(text)) return DropReason.exactDuplicate;
    this.exact.add(text);
    if (this.filters.dedupe === 'near') {
      const key = nearDuplicateKey(text);
      if (key.length > 0) {
        if (this.near.has(key)) return DropReason.nearDuplicate;
        this.near.add(key);
      }
    }
    return null;
  }
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EncodeReply } from './tokenizer-worker.js';

/**
 * GPT-2 tokenization on worker threads, so a dataset build cleans and dedupes on the main thread
 * while the previous page is being tokenized. Replies come back in the order asked.
 */
export class TokenizerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (t: Uint16Array) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  /** One thread per spare core (at least one, at most four: the main thread becomes the limit). */
  constructor(threads = Math.min(4, Math.max(1, availableParallelism() - 1))) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = new Worker(workerFile());
      worker.on('message', ({ id, tokens }: EncodeReply) => {
        this.pending.get(id)?.resolve(tokens);
        this.pending.delete(id);
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  /** The texts' ids, each text followed by <|endoftext|>, in one array. */
  encodeDocuments(texts: string[]): Promise<Uint16Array> {
    if (texts.length === 0) return Promise.resolve(new Uint16Array(0));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The compiled worker. Tests load this package from its TypeScript sources, which a worker
 * thread cannot run, so from src/ the worker is taken from the build beside it.
 */
function workerFile(): URL {
  const here = new URL('./tokenizer-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  const built = new URL('../dist/tokenizer-worker.js', import.meta.url);
  if (!existsSync(built)) throw new Error('the tokenizer worker is not built: run npm run build');
  return built;
}

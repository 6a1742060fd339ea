import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EncodeReply } from './tokenizer-worker.js';

interface Pending {
  resolve: (tokens: Uint16Array) => void;
  reject: (error: Error) => void;
}

/**
 * GPT-2 tokenization on worker threads, so a dataset build cleans and dedupes on the main thread
 * while the previous page is being tokenized. A thread that dies fails the requests it held and
 * is replaced, so one bad page cannot hang every later build.
 */
export class TokenizerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<Worker, Map<number, Pending>>();
  private nextId = 0;
  private closed = false;

  /** One thread per spare core (at least one, at most four: the main thread becomes the limit). */
  constructor(threads = Math.min(4, Math.max(1, availableParallelism() - 1))) {
    for (let i = 0; i < Math.max(1, threads); i++) this.workers.push(this.spawn());
  }

  /** The texts' ids, each text followed by <|endoftext|>, in one array. */
  encodeDocuments(texts: string[]): Promise<Uint16Array> {
    if (this.closed) return Promise.reject(new Error('the tokenizer pool is closed'));
    if (texts.length === 0) return Promise.resolve(new Uint16Array(0));
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.get(worker)!.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile());
    const mine = new Map<number, Pending>();
    this.pending.set(worker, mine);
    worker.on('message', ({ id, tokens }: EncodeReply) => {
      mine.get(id)?.resolve(tokens);
      mine.delete(id);
    });
    // On its first error the thread leaves the rotation at once: a request sent to it before
    // its exit event would otherwise be lost with it.
    const retire = (error: Error) => {
      for (const p of mine.values()) p.reject(error);
      mine.clear();
      const at = this.workers.indexOf(worker);
      if (at < 0) return;
      this.pending.delete(worker);
      if (this.closed) return;
      this.workers[at] = this.spawn();
      void worker.terminate();
    };
    worker.on('error', retire);
    worker.on('exit', (code) => retire(new Error(`a tokenizer thread stopped (exit ${code})`)));
    return worker;
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

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type SourceLine =
  | {
      /** The file or URL the line came from, as given. */
      source: string;
      /** 1-based, counted in the decompressed text. */
      line: number;
      text: string;
      tooLong?: false;
    }
  | { source: string; line: number; tooLong: true; bytes: number };

export interface ReadProgress {
  /** Bytes taken from the files or the network so far (compressed when gzipped). */
  bytesRead: number;
  /** Total bytes when known (files; a URL with Content-Length). */
  bytesTotal: number | null;
}

export interface ReadOptions {
  progress?: ReadProgress;
  /** A line longer than this is reported, not held: a file without line breaks must not fill memory. */
  maxLineBytes?: number;
  /** A URL that sends nothing for this long is given up on. */
  idleTimeoutMs?: number;
}

export class SourceReadError extends Error {
  constructor(source: string, cause: unknown) {
    super(`${source}: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'SourceReadError';
  }
}

const TWINT_FILE = /\.(jsonl?|ndjson)(\.gz)?$|\.gz$/i;
const NEWLINE = 0x0a;

/** Files of a folder (recursively, following links to files) that hold JSON lines, in a stable order. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files: string[] = [];
  for (const e of entries) {
    if (!TWINT_FILE.test(e.name)) continue;
    const path = join(e.parentPath, e.name);
    if (e.isFile() || (e.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile())) files.push(path);
  }
  return files.sort((a, b) => relative(dir, a).localeCompare(relative(dir, b)));
}

/** Counts bytes as they are taken and hands the chunks on. */
async function* counted(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/**
 * The decompressed bytes of a stream. Gzip is told by its magic bytes, not by a name (files
 * get renamed), and only once two bytes are in: a server may send one byte first.
 */
async function* decompressed(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      // Stopping early reaches the source, which closes its file or connection.
      await it.return?.();
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    pipeline(Readable.from(rest()), gunzip, () => {});
    yield* gunzip;
  } else {
    yield* rest();
  }
}

/** Splits bytes into lines without ever holding more than `maxLineBytes` of one line. */
async function* lines(source: string, bytes: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<SourceLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let skipped = 0; // bytes of a line already found too long, until its end
  let line = 0;
  const emit = (): SourceLine | null => {
    line++;
    if (skipped) {
      const bytesInLine = skipped;
      skipped = 0;
      return { source, line, tooLong: true, bytes: bytesInLine };
    }
    const text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8').replace(/\r$/, '');
    parts = [];
    held = 0;
    return text.trim() === '' ? null : { source, line, text };
  };
  /** Adds bytes to the current line, or drops them once the line is known to be too long. */
  const take = (piece: Buffer) => {
    if (skipped) skipped += piece.length;
    else if (held + piece.length > maxLineBytes) {
      skipped = held + piece.length;
      parts = [];
      held = 0;
    } else {
      parts.push(piece);
      held += piece.length;
    }
  };
  for await (const chunk of bytes) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      take(chunk.subarray(start, nl));
      const out = emit();
      if (out) yield out;
      start = nl + 1;
    }
    // Copied: the stream may reuse the chunk's memory before the line ends in a later chunk.
    if (start < chunk.length) take(Buffer.from(chunk.subarray(start)));
  }
  if (held || skipped) {
    const out = emit();
    if (out) yield out;
  }
}

/**
 * A URL's body, abandoned when the server stalls for `idleTimeoutMs`: waiting for the headers,
 * or for the next piece of the body. The clock runs only while a read is waiting on the
 * server, never while the importer holds off reading (its writers are busy).
 */
async function* fetchBody(url: string, idleTimeoutMs: number, progress: ReadProgress): AsyncGenerator<Buffer> {
  const abort = new AbortController();
  const stalled = () => new Error(`no data for ${idleTimeoutMs} ms`);
  const waiting = async <T>(work: Promise<T>): Promise<T> => {
    const timer = setTimeout(() => abort.abort(), idleTimeoutMs);
    try {
      return await work;
    } catch (error) {
      throw abort.signal.aborted ? stalled() : error;
    } finally {
      clearTimeout(timer);
    }
  };
  const res = await waiting(fetch(url, { redirect: 'follow', signal: abort.signal }));
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`GET answered ${res.status} ${res.statusText}`);
  }
  const length = Number(res.headers.get('content-length'));
  // fetch gunzips a Content-Encoding: gzip body itself; its length is then not ours to count.
  const encoded = (res.headers.get('content-encoding') ?? '') !== '';
  progress.bytesTotal = Number.isFinite(length) && length > 0 && !encoded ? length : null;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await waiting(reader.read());
      if (done) return;
      yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  } finally {
    // Stopping early (a failed batch, an error) must not leave the connection open.
    await reader.cancel().catch(() => {});
  }
}

async function* fileBody(file: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    yield* stream;
  } finally {
    // Closes the file when the reader stops early.
    stream.destroy();
  }
}

async function* linesOf(source: string, body: AsyncIterable<Buffer>, progress: ReadProgress, maxLineBytes: number): AsyncGenerator<SourceLine> {
  const onBytes = (n: number) => {
    progress.bytesRead += n;
  };
  try {
    yield* lines(source, decompressed(counted(body, onBytes)), maxLineBytes);
  } catch (error) {
    throw error instanceof SourceReadError ? error : new SourceReadError(source, error);
  }
}

/**
 * Every line of twint JSON under `from` — a file, a folder of files, or an http(s) URL —
 * plain or gzipped, streamed so memory stays flat whatever the size. Errors name the file
 * or URL they happened in.
 */
export async function* readTwintLines(from: string, options: ReadOptions = {}): AsyncGenerator<SourceLine> {
  const progress = options.progress ?? { bytesRead: 0, bytesTotal: null };
  const maxLineBytes = options.maxLineBytes ?? 1 << 20;
  if (/^https?:\/\//i.test(from)) {
    yield* linesOf(from, fetchBody(from, options.idleTimeoutMs ?? 30_000, progress), progress, maxLineBytes);
    return;
  }
  const info = await stat(from).catch(() => {
    throw new SourceReadError(from, new Error('no such file or folder'));
  });
  const files = info.isDirectory() ? await listFiles(from) : [from];
  if (info.isDirectory() && files.length === 0) {
    throw new SourceReadError(from, new Error('the folder holds no .json, .jsonl, .ndjson or .gz files'));
  }
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  progress.bytesTotal = sizes.reduce((a, b) => a + b, 0);
  for (const file of files) yield* linesOf(file, fileBody(file), progress, maxLineBytes);
}

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';

export interface SourceLine {
  /** The file or URL the line came from, as given. */
  source: string;
  /** 1-based, counted in the decompressed text. */
  line: number;
  text: string;
}

export interface ReadProgress {
  /** Bytes taken from the files or the network so far (compressed when gzipped). */
  bytesRead: number;
  /** Total bytes when known (files; a URL with Content-Length). */
  bytesTotal: number | null;
}

const TWINT_FILE = /\.(jsonl?|ndjson)(\.gz)?$|\.gz$/i;

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

async function* counted(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/** The decompressed text of a stream, gzip told by its magic bytes: files get renamed. */
async function decompressed(input: AsyncIterable<Buffer>): Promise<Readable> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  const replay = (async function* () {
    if (!first.done) yield first.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  })();
  const raw = Readable.from(replay, { objectMode: false });
  const head = first.done ? Buffer.alloc(0) : first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    pipeline(raw, gunzip, () => {});
    return gunzip;
  }
  return raw;
}

async function* linesOf(source: string, input: Readable, onBytes: (n: number) => void): AsyncGenerator<SourceLine> {
  const text = await decompressed(counted(input, onBytes));
  const rl = createInterface({ input: text, crlfDelay: Infinity });
  let line = 0;
  for await (const t of rl) {
    line++;
    if (t.trim() === '') continue;
    yield { source, line, text: t };
  }
}

async function openUrl(url: string): Promise<{ body: Readable; size: number | null }> {
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  const length = Number(res.headers.get('content-length'));
  // fetch would gunzip a Content-Encoding: gzip body itself; then the length is not ours to count.
  const encoded = (res.headers.get('content-encoding') ?? '') !== '';
  return { body: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), size: Number.isFinite(length) && length > 0 && !encoded ? length : null };
}

/**
 * Every line of twint JSON under `from` — a file, a folder of files, or an http(s) URL —
 * plain or gzipped, streamed so memory stays flat whatever the size.
 */
export async function* readTwintLines(from: string, progress: ReadProgress = { bytesRead: 0, bytesTotal: null }): AsyncGenerator<SourceLine> {
  const onBytes = (n: number) => {
    progress.bytesRead += n;
  };
  if (/^https?:\/\//i.test(from)) {
    const { body, size } = await openUrl(from);
    progress.bytesTotal = size;
    yield* linesOf(from, body, onBytes);
    return;
  }
  const info = await stat(from).catch(() => {
    throw new Error(`${from}: no such file or folder`);
  });
  const files = info.isDirectory() ? await listFiles(from) : [from];
  if (info.isDirectory() && files.length === 0) throw new Error(`${from}: the folder holds no .json, .jsonl or .gz files`);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  progress.bytesTotal = sizes.reduce((a, b) => a + b, 0);
  for (const file of files) {
    yield* linesOf(file, createReadStream(file, { highWaterMark: 1 << 20 }), onBytes);
  }
}

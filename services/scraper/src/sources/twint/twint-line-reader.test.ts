import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTwintLines, type SourceLine } from './twint-line-reader.js';

async function collect(from: string, options = {}): Promise<SourceLine[]> {
  const out: SourceLine[] = [];
  for await (const line of readTwintLines(from, options)) out.push(line);
  return out;
}

/** Files under `dir` this process holds open. */
const openFilesUnder = (dir: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  }).length;

describe('reading twint lines', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const routes = new Map<string, (res: ServerResponse) => void>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lines-'));
    server = createServer((req, res) => (routes.get(req.url ?? '') ?? ((r) => r.writeHead(404).end()))(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('numbers lines as a text editor does, skipping blank ones and CRLF endings', async () => {
    await writeFile(join(dir, 'crlf.jsonl'), '{"a":1}\r\n\r\n{"b":2}\r\n{"c":3}');
    const lines = await collect(join(dir, 'crlf.jsonl'));
    expect(lines.map((l) => [l.line, 'text' in l ? l.text : null])).toEqual([
      [1, '{"a":1}'],
      [3, '{"b":2}'],
      [4, '{"c":3}'],
    ]);
  });

  it('reports a line of several MiB, spread over many chunks, with the default limit', async () => {
    await writeFile(join(dir, 'huge.jsonl'), `{"a":1}\n${'z'.repeat(3 * 1024 * 1024 + 5)}\n{"b":2}\n`);
    const lines = await collect(join(dir, 'huge.jsonl'));
    expect(lines.map((l) => (l.tooLong ? `${l.line}: ${l.bytes} bytes` : `${l.line}: ${l.text}`))).toEqual([
      '1: {"a":1}',
      `2: ${3 * 1024 * 1024 + 5} bytes`,
      '3: {"b":2}',
    ]);
  });

  it('reports a line too long to hold, without holding it, and goes on after it', async () => {
    await writeFile(join(dir, 'long.jsonl'), `{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n${'y'.repeat(3000)}`);
    const lines = await collect(join(dir, 'long.jsonl'), { maxLineBytes: 1000 });
    expect(lines).toEqual([
      { source: join(dir, 'long.jsonl'), line: 1, text: '{"a":1}' },
      { source: join(dir, 'long.jsonl'), line: 2, tooLong: true, bytes: 5000 },
      { source: join(dir, 'long.jsonl'), line: 3, text: '{"b":2}' },
      { source: join(dir, 'long.jsonl'), line: 4, tooLong: true, bytes: 3000 },
    ]);
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const text = `{"t":"${'é🙂'.repeat(40_000)}"}`;
    await writeFile(join(dir, 'utf8.jsonl'), `${text}\n`);
    const [line] = await collect(join(dir, 'utf8.jsonl'));
    expect('text' in line && line.text).toBe(text);
  });

  it('tells gzip by its bytes even when a server sends one byte first', async () => {
    const body = gzipSync('{"a":1}\n{"b":2}\n');
    routes.set('/trickle', (res) => {
      res.writeHead(200);
      res.write(body.subarray(0, 1));
      setTimeout(() => res.end(body.subarray(1)), 50);
    });
    const lines = await collect(`${base}/trickle`);
    expect(lines.map((l) => 'text' in l && l.text)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('gives up on a URL that stalls, naming it', async () => {
    routes.set('/stall', (res) => {
      res.writeHead(200);
      res.write('{"a":1}\n');
    });
    await expect(collect(`${base}/stall`, { idleTimeoutMs: 300 })).rejects.toThrow(`${base}/stall: no data for 300 ms`);
  });

  it('does not count the time the reader holds off reading against the server', async () => {
    routes.set('/all-at-once', (res) => {
      res.writeHead(200);
      res.end('{"a":1}\n'.repeat(200_000));
    });
    let n = 0;
    for await (const line of readTwintLines(`${base}/all-at-once`, { idleTimeoutMs: 200 })) {
      n++;
      // A consumer busy for longer than the idle timeout, as an importer waiting on its writers.
      if (line.line === 5000) await new Promise((r) => setTimeout(r, 400));
    }
    expect(n).toBe(200_000);
  });

  it('names the file when gzip data is corrupt', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, r: Math.random() })).join('\n');
    const zipped = gzipSync(text);
    const broken = zipped.subarray(0, zipped.length >> 1);
    await writeFile(join(dir, 'broken.jsonl.gz'), broken);
    await expect(collect(join(dir, 'broken.jsonl.gz'))).rejects.toThrow(`${join(dir, 'broken.jsonl.gz')}: unexpected end of file`);
  });

  it('closes files and connections when the reader stops early', async () => {
    await writeFile(join(dir, 'many.jsonl.gz'), gzipSync('{"a":1}\n'.repeat(200_000)));
    await writeFile(join(dir, 'many.jsonl'), '{"a":1}\n'.repeat(200_000));
    let abandoned = 0;
    // A body without end: only closing the connection can stop it.
    routes.set('/endless', (res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('{"a":1}\n'.repeat(100)), 5);
      res.on('close', () => {
        clearInterval(timer);
        abandoned++;
      });
    });
    for (const from of [join(dir, 'many.jsonl.gz'), join(dir, 'many.jsonl'), `${base}/endless`]) {
      for (let i = 0; i < 3; i++) {
        for await (const line of readTwintLines(from)) if (line.line === 10) break;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(openFilesUnder(dir)).toBe(0);
    expect(abandoned).toBe(3);
  });
});

import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

const CHUNK_TOKENS = 1 << 20;

/**
 * Appends token ids to a file as little-endian uint16 (GPT-2's 50,257 ids fit), the layout the
 * trainer memory-maps, in 2 MiB writes, hashing as it goes.
 */
export class TokenFileWriter {
  private readonly hash = createHash('sha256');
  private buffer = new Uint16Array(CHUNK_TOKENS);
  private filled = 0;
  private written = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<TokenFileWriter> {
    return new TokenFileWriter(path, await open(path, 'w'));
  }

  get tokens(): number {
    return this.written + this.filled;
  }

  async append(ids: ArrayLike<number>): Promise<void> {
    for (let from = 0; from < ids.length; ) {
      if (this.filled === CHUNK_TOKENS) await this.flush();
      const take = Math.min(ids.length - from, CHUNK_TOKENS - this.filled);
      if (ids instanceof Uint16Array) this.buffer.set(ids.subarray(from, from + take), this.filled);
      else for (let i = 0; i < take; i++) this.buffer[this.filled + i] = ids[from + i]!;
      this.filled += take;
      from += take;
    }
  }

  /** Closes the file; returns its size and sha256. */
  async close(): Promise<{ tokens: number; bytes: number; sha256: string }> {
    await this.flush();
    await this.file.close();
    return { tokens: this.written, bytes: this.written * 2, sha256: this.hash.digest('hex') };
  }

  private async flush(): Promise<void> {
    if (this.filled === 0) return;
    // Uint16Array is host-endian; every platform Node supports here is little-endian.
    const bytes = new Uint8Array(this.buffer.buffer, 0, this.filled * 2);
    this.hash.update(bytes);
    await this.file.write(bytes);
    this.written += this.filled;
    this.filled = 0;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * ADMIN_API_KEYS, held as SHA-256 digests and compared with timingSafeEqual against every key,
 * so neither a key's content, its length nor which key matched shows in the response time.
 */
export class AdminKeys {
  private readonly digests: Buffer[];

  constructor(keys: string[]) {
    this.digests = keys.map(digest);
  }

  get configured(): boolean {
    return this.digests.length > 0;
  }

  matches(key: string): boolean {
    const given = digest(key);
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, given) || ok;
    return ok;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ADMIN_API_KEYS } from './admin.tokens.js';

/**
 * `Authorization: Bearer <key>` against ADMIN_API_KEYS. Keys are compared as SHA-256 digests with
 * timingSafeEqual, so neither a key's content nor its length shows in the response time.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(ADMIN_API_KEYS) keys: string[]) {
    this.digests = keys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const response = http.getResponse<{ setHeader(name: string, value: string): void }>();
    const deny = (message: string, error?: string): never => {
      response.setHeader('WWW-Authenticate', `Bearer realm="admin"${error ? `, error="${error}"` : ''}`);
      throw new HttpException({ statusCode: HttpStatus.UNAUTHORIZED, message }, HttpStatus.UNAUTHORIZED);
    };
    if (this.digests.length === 0) return deny('the admin API has no keys configured (set ADMIN_API_KEYS)');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return deny('missing admin API key: send Authorization: Bearer <key>');
    const given = digest(match[1]);
    // Every key is compared, so the time does not depend on which one matched.
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, given) || ok;
    if (!ok) return deny('invalid admin API key', 'invalid_token');
    return true;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

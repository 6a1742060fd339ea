import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { nodeHttp } from '../http/node-http.js';
import type { ServerResponse } from 'node:http';
import { AdminKeys } from './admin-keys.js';
import { ADMIN_KEYS } from './admin.tokens.js';

/** `Authorization: Bearer <key>` against ADMIN_API_KEYS. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(ADMIN_KEYS) private readonly keys: AdminKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const response = nodeHttp<ServerResponse>(http.getResponse());
    const deny = (message: string, error?: string): never => {
      response.setHeader('WWW-Authenticate', `Bearer realm="admin"${error ? `, error="${error}"` : ''}`);
      throw new HttpException({ statusCode: HttpStatus.UNAUTHORIZED, message }, HttpStatus.UNAUTHORIZED);
    };
    if (!this.keys.configured) return deny('the admin API has no keys configured (set ADMIN_API_KEYS)');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return deny('missing admin API key: send Authorization: Bearer <key>');
    if (!this.keys.matches(match[1])) return deny('invalid admin API key', 'invalid_token');
    return true;
  }
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { nodeHttp } from './node-http.js';

/**
 * Node's own response, whichever HTTP adapter serves the app, for headers only (a cookie,
 * Retry-After): Nest still sends the handler's return value, and Node merges headers set here
 * into the ones the adapter writes.
 */
export const RawResponse = createParamDecorator((_: unknown, context: ExecutionContext): ServerResponse => nodeHttp<ServerResponse>(context.switchToHttp().getResponse()));

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { nodeHttp } from './node-http.js';

/**
 * Node's own request, whichever HTTP adapter serves the app. Session, rate-limit and address
 * code reads only what Node gives, so it does not care.
 */
export const RawRequest = createParamDecorator((_: unknown, context: ExecutionContext): IncomingMessage => nodeHttp<IncomingMessage>(context.switchToHttp().getRequest()));

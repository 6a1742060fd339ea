import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * Node's own request, whichever HTTP adapter serves the app (Fastify wraps it as `.raw`).
 * Session, rate-limit and address code reads only what Node gives, so it does not care.
 */
export const RawRequest = createParamDecorator((_: unknown, context: ExecutionContext): IncomingMessage => {
  const request = context.switchToHttp().getRequest<IncomingMessage | { raw: IncomingMessage }>();
  return 'raw' in request ? request.raw : request;
});

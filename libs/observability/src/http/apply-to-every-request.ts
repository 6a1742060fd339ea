import type { MiddlewareConsumer } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Middleware on Node's own request and response, as both adapters can run it. */
export type NodeMiddleware = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => void;

interface FastifyHooks {
  addHook(
    name: 'onRequest',
    hook: (request: { raw: IncomingMessage & { originalUrl?: string } }, reply: { raw: ServerResponse }, done: () => void) => void,
  ): unknown;
}

/**
 * Runs a middleware on every request. On Fastify it becomes an onRequest hook: Nest's own
 * middleware there goes through @fastify/middie and a path match per middleware and request,
 * and game-api's three (request id, no-store, web app) cost it about half its health
 * requests/s that way (4,900-6,100 against 10,100-10,900 without them). On Express it is Nest's
 * middleware, as cheap as anything there. A middleware that answers the request itself (a
 * static file) never calls `next`, and the app does not run.
 */
export function applyToEveryRequest(consumer: MiddlewareConsumer, adapterHost: HttpAdapterHost, middleware: NodeMiddleware): void {
  const adapter = adapterHost.httpAdapter;
  if (adapter?.getType() !== 'fastify') {
    consumer.apply(middleware).forRoutes('{*path}');
    return;
  }
  adapter.getInstance<FastifyHooks>().addHook('onRequest', (request, reply, done) => {
    // Paths are read from originalUrl, as under Express (a middleware may rewrite url).
    request.raw.originalUrl ??= request.raw.url;
    middleware(request.raw, reply.raw, () => done());
  });
}

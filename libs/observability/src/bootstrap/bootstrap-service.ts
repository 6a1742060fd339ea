import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { loadConfigOrExit } from '@ttt/config';
import type { z } from 'zod';
import { createJsonLogger } from '../logging/json-logger.js';

export interface ServiceConfig {
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  HOST: string;
  PORT: number;
}

/**
 * Starts a service: validates the environment into a typed config first (a bad variable
 * stops the process with exit code 78 and a message naming it), then builds the app with
 * that config, JSON logs and graceful shutdown.
 */
export async function bootstrapService<S extends z.ZodType<ServiceConfig>>(options: {
  name: string;
  envSchema: S;
  module: (config: z.output<S>) => DynamicModule;
  /** Express when not given. */
  httpAdapter?: AbstractHttpAdapter;
}): Promise<INestApplication> {
  const config = loadConfigOrExit(options.envSchema, options.name);
  const logger = createJsonLogger(options.name, config.LOG_LEVEL);
  const module = options.module(config);
  const app = options.httpAdapter
    ? await NestFactory.create(module, options.httpAdapter, { logger, bufferLogs: true })
    : await NestFactory.create(module, { logger, bufferLogs: true });
  answerMalformedRequestsInJson(app.getHttpServer() as Server);
  await app.listen(config.PORT, config.HOST);
  logger.log(`listening on ${config.HOST}:${config.PORT}`);
  // Nest's own shutdown hooks re-raise the signal after closing, so the process ends "killed";
  // an orchestrator reads a clean drain better as exit code 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: draining`);
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
  return app;
}

/**
 * Requests Node's parser refuses (a head over 16 KiB, a broken header, bad chunking) never reach
 * the app; by default they get a bare status line. Here they get the same JSON error as the rest.
 */
function answerMalformedRequestsInJson(server: Server): void {
  // Fastify installs a handler of its own: one answer per connection, ours.
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    // As Node's own handler: answer only on a connection that has sent nothing yet (never into
    // a response under way), then close it.
    if (socket.writable && socket.bytesWritten === 0) {
      const [status, reason, message] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'the request head is over 16 KiB']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout', 'the request did not arrive in time']
            : [400, 'Bad Request', `malformed HTTP request (${error.code ?? 'parse error'})`];
      const body = JSON.stringify({ statusCode: status, error: reason, message });
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  });
}

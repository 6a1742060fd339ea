import { BadRequestException, HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { GenerationAbortedError, ModelClosedError, QueueFullError } from '../engine/generation-errors.js';
import { GenerationInputError } from '../generation/generation-input-error.js';
import { ModelUnavailableError } from '../models/model-unavailable-error.js';
import { UnknownModelError } from '../models/unknown-model-error.js';
import { RemoteGenerationError } from '../gateway/remote-generation-error.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

const DATABASE_RETRY_SECONDS = 2;
const databaseMessage = (error: unknown) => `the model catalog (Postgres) is unavailable: ${(error as Error).message}`;

/** The HTTP answer for a generation failure; Retry-After goes on the response when waiting helps. */
export function toHttpError(error: unknown, res: Response): unknown {
  if (error instanceof RemoteGenerationError) {
    if (error.retryAfterSeconds !== null) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    return new HttpException({ statusCode: error.status, message: error.message }, error.status);
  }
  if (error instanceof UnknownModelError || error instanceof GenerationInputError) return new BadRequestException(error.message);
  if (error instanceof QueueFullError) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
    return new HttpException({ statusCode: 429, message: error.message }, HttpStatus.TOO_MANY_REQUESTS);
  }
  if (error instanceof ModelUnavailableError) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
    return new ServiceUnavailableException(error.message);
  }
  if (error instanceof ModelClosedError || error instanceof GenerationAbortedError) {
    res.setHeader('Retry-After', '1');
    return new ServiceUnavailableException(error.message);
  }
  if (isDatabaseUnavailable(error)) {
    res.setHeader('Retry-After', String(DATABASE_RETRY_SECONDS));
    return new ServiceUnavailableException(databaseMessage(error));
  }
  return error;
}

/** The status and Retry-After a failure maps to, for a worker to hand back to its gateway. */
export function describeFailure(error: unknown): { status: number; retryAfterSeconds: number | null; message: string } | null {
  const message = (error as Error).message;
  if (error instanceof UnknownModelError || error instanceof GenerationInputError) return { status: 400, retryAfterSeconds: null, message };
  if (error instanceof QueueFullError) return { status: 429, retryAfterSeconds: error.retryAfterSeconds, message };
  if (error instanceof ModelUnavailableError) return { status: 503, retryAfterSeconds: error.retryAfterSeconds, message };
  if (error instanceof ModelClosedError || error instanceof GenerationAbortedError) return { status: 503, retryAfterSeconds: 1, message };
  if (isDatabaseUnavailable(error)) return { status: 503, retryAfterSeconds: DATABASE_RETRY_SECONDS, message: databaseMessage(error) };
  return null;
}

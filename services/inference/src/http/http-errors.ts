import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { GenerationAbortedError, ModelClosedError, QueueFullError } from '../engine/generation-errors.js';
import { GenerationInputError } from '../generation/generation-input-error.js';
import { ModelUnavailableError } from '../models/model-unavailable-error.js';
import { UnknownModelError } from '../models/unknown-model-error.js';
import { RemoteGenerationError } from '../gateway/remote-generation-error.js';
import { isDatabaseUnavailable } from '@ttt/db';

export interface Failure {
  status: number;
  retryAfterSeconds: number | null;
  message: string;
}

/** The status and Retry-After a generation failure maps to; null for an unexpected one (500). */
export function describeFailure(error: unknown): Failure | null {
  if (error instanceof RemoteGenerationError) return { status: error.status, retryAfterSeconds: error.retryAfterSeconds, message: error.message };
  const message = (error as Error).message;
  if (error instanceof UnknownModelError || error instanceof GenerationInputError) return { status: 400, retryAfterSeconds: null, message };
  if (error instanceof QueueFullError) return { status: 429, retryAfterSeconds: error.retryAfterSeconds, message };
  if (error instanceof ModelUnavailableError) return { status: 503, retryAfterSeconds: error.retryAfterSeconds, message };
  if (error instanceof ModelClosedError || error instanceof GenerationAbortedError) return { status: 503, retryAfterSeconds: 1, message };
  if (isDatabaseUnavailable(error)) return { status: 503, retryAfterSeconds: 2, message: `the model catalog (Postgres) is unavailable: ${message}` };
  return null;
}

/** The HTTP answer for a generation failure; Retry-After goes on the response when waiting helps. */
export function toHttpError(error: unknown, res: Response): unknown {
  const failure = describeFailure(error);
  if (!failure) return error;
  if (failure.retryAfterSeconds !== null) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
  return new HttpException({ statusCode: failure.status, message: failure.message }, failure.status);
}

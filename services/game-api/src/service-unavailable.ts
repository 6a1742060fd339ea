import { ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';

/** A 503 worth retrying: sets Retry-After on the response and returns the error to throw. */
export function serviceUnavailable(res: Response, retryAfterS: number, message: string): ServiceUnavailableException {
  res.setHeader('Retry-After', String(retryAfterS));
  return new ServiceUnavailableException(message);
}

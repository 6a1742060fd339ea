import { ServiceUnavailableException } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/** A 503 worth retrying: sets Retry-After on the response and returns the error to throw. */
export function serviceUnavailable(res: ServerResponse, retryAfterS: number, message: string): ServiceUnavailableException {
  res.setHeader('Retry-After', String(retryAfterS));
  return new ServiceUnavailableException(message);
}

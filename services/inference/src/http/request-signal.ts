import type { Request, Response } from 'express';
import { GenerationAbortedError } from '../engine/generation-errors.js';

/**
 * Aborts when the client goes away before its answer is written, or when the request's time
 * is up: either way its sequences leave the batch and free their slots.
 */
export function requestSignal(req: Request, res: Response, timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new GenerationAbortedError('timeout')), timeoutMs);
  const onClose = () => {
    if (!res.writableEnded) controller.abort(new GenerationAbortedError('disconnected'));
  };
  res.once('close', onClose);
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      res.off('close', onClose);
    },
  };
}

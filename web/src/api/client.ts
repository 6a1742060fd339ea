import { apiErrorFrom, asApiError } from './ApiError';
import { retryDelayMs } from './retryAfter';

/** Shown while a call waits out a 429 or 503 before its next attempt. */
export interface BusyState {
  status: number;
  attempt: number;
  maxAttempts: number;
  retryAt: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  onBusy?: (busy: BusyState | null) => void;
}

interface RequestOptions extends CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
}

/** A few tries, then the player sees the error and decides. */
export const MAX_ATTEMPTS = 4;

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, onBusy } = options;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        signal,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      onBusy?.(null);
      if (signal?.aborted) throw error;
      throw asApiError(error);
    }
    if ((response.status === 429 || response.status === 503) && attempt < MAX_ATTEMPTS) {
      const delay = retryDelayMs(response.headers.get('retry-after'), attempt);
      onBusy?.({ status: response.status, attempt, maxAttempts: MAX_ATTEMPTS, retryAt: Date.now() + delay });
      await sleep(delay, signal);
      continue;
    }
    onBusy?.(null);
    if (!response.ok) throw await apiErrorFrom(response);
    return (await response.json()) as T;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

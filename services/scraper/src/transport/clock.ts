/** Time as the transport sees it, injectable so tests of cool-downs and rate windows need not wait. */
export interface Clock {
  now(): number;
  /** Resolves after ms; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: realSleep };

/**
 * A clock that runs `factor` times faster than the wall: a one-minute cool-down passes in 60 ms at
 * 1000. Real timers underneath, so code that sleeps on it behaves as in production, only sooner.
 */
export function scaledClock(factor: number, start = Date.now()): Clock {
  const realStart = Date.now();
  return {
    now: () => start + (Date.now() - realStart) * factor,
    sleep: (ms, signal) => realSleep(ms / factor, signal),
  };
}

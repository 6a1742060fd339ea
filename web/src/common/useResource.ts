import { useCallback, useEffect, useState } from 'react';
import { asApiError, type ApiError } from '../api/ApiError';
import type { BusyState, CallOptions } from '../api/client';

interface ResourceState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

/**
 * Loads what `load` fetches whenever `key` changes (and only while `enabled`), keeping the
 * last data on screen during a reload, and exposing the busy state of its retries.
 */
export function useResource<T>(load: (options: Required<CallOptions>) => Promise<T>, key: string, enabled = true) {
  const [state, setState] = useState<ResourceState<T>>({ data: undefined, error: undefined, loading: enabled });
  const [busy, setBusy] = useState<BusyState | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    load({ signal: controller.signal, onBusy: setBusy }).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ data: s.data, error: asApiError(error), loading: false }));
      },
    );
    return () => {
      controller.abort();
      setBusy(null);
    };
    // `load` is a fresh closure on every render; `key` names what it loads.
  }, [key, enabled, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, busy, reload };
}

import type { BusyState } from '../api/client';
import { useNow } from './useNow';

export function BusyNotice({ busy }: { busy: BusyState | null }) {
  // The tick only re-renders; the time is read now, because the tick's value dates from when
  // the countdown last ran (or from mount) on the first render of a new busy spell.
  useNow(500, busy !== null);
  if (!busy) return null;
  const seconds = Math.max(0, Math.ceil((busy.retryAt - Date.now()) / 1000));
  return (
    <div className="notice notice--busy" role="status" data-testid="busy-notice">
      <span className="spinner" aria-hidden="true" />
      <span>
        Server busy, retrying{seconds > 0 ? ` in ${seconds} s` : ''}… (attempt {busy.attempt + 1} of {busy.maxAttempts})
      </span>
    </div>
  );
}

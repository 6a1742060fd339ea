import type { BusyState } from '../api/client';
import { useNow } from './useNow';

export function BusyNotice({ busy }: { busy: BusyState | null }) {
  const now = useNow(500, busy !== null);
  if (!busy) return null;
  const seconds = Math.max(0, Math.ceil((busy.retryAt - now) / 1000));
  return (
    <div className="notice notice--busy" role="status" data-testid="busy-notice">
      <span className="spinner" aria-hidden="true" />
      <span>
        Server busy, retrying{seconds > 0 ? ` in ${seconds} s` : ''}… (attempt {busy.attempt + 1} of {busy.maxAttempts})
      </span>
    </div>
  );
}

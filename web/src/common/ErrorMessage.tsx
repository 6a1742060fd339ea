import type { ApiError } from '../api/ApiError';

interface Props {
  error: ApiError;
  onRetry?: () => void;
  retryLabel?: string;
}

export function ErrorMessage({ error, onRetry, retryLabel = 'Try again' }: Props) {
  return (
    <div className="notice notice--error" role="alert" data-testid="error">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}

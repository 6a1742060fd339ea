import { useId } from 'react';
import { getTokens } from '../api/endpoints';
import type { ScoredToken } from '../api/types';
import { BusyNotice } from '../common/BusyNotice';
import { ErrorMessage } from '../common/ErrorMessage';
import { useResource } from '../common/useResource';
import { bucketOf, buckets, describeToken, type TokenBucket } from './tokenBuckets';

/** Fetched only once the reveal is on screen: the tokens are the model's verdict on the text. */
export function TokenColouring({ roundId }: { roundId: string }) {
  const headingId = useId();
  const { data, error, busy, loading, reload } = useResource((o) => getTokens(roundId, o), roundId);

  return (
    <section className="tokens" aria-labelledby={headingId}>
      <h3 id={headingId}>How the model saw it</h3>
      <p className="tokens__explain">Colours show how likely the model found each token: machine text is mostly green, people surprise the model more.</p>
      <BusyNotice busy={busy} />
      {error && <ErrorMessage error={error} onRetry={reload} retryLabel="Load the colours again" />}
      {loading && !busy && <p className="tokens__loading">Asking the model…</p>}
      {data && <ColouredTokens tokens={data.tokens} model={data.model} />}
    </section>
  );
}

export function ColouredTokens({ tokens, model }: { tokens: ScoredToken[]; model: string }) {
  const counts: Record<TokenBucket, number> = { top10: 0, top100: 0, top1000: 0, rest: 0 };
  for (const t of tokens) counts[bucketOf(t.rank)]++;
  return (
    <>
      <p className="tokens__text" aria-label={`The tweet split into ${tokens.length} tokens, scored by ${model}`}>
        {tokens.map((t, i) => {
          const bucket = bucketOf(t.rank);
          return (
            <span key={i} className={`token token--${bucket}`} title={describeToken(t.rank, t.probability)} data-testid="token" data-bucket={bucket}>
              {t.text}
            </span>
          );
        })}
      </p>
      <ul className="tokens__legend" aria-label="Legend">
        {buckets.map(({ bucket, label }) => (
          <li key={bucket}>
            <span className={`token token--${bucket} tokens__swatch`} aria-hidden="true">
              Aa
            </span>
            {label}: {counts[bucket]} {counts[bucket] === 1 ? 'token' : 'tokens'}
          </li>
        ))}
      </ul>
      <p className="tokens__model">Scored by {model}. Hover or long-press a token for its rank and probability.</p>
    </>
  );
}

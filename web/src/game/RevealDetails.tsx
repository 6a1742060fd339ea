import type { ReactNode } from 'react';
import type { GuessResult } from '../api/types';
import { formatCount, formatDateTime } from '../common/format';

/** What the card's revealed face cannot fit: the full facts behind the tweet. */
export function RevealDetails({ reveal }: { reveal: GuessResult['reveal'] }) {
  if (reveal.kind === 'human') {
    return (
      <dl className="facts">
        <Fact term="Author">
          {reveal.author.name ?? ''} <span className="facts__muted">@{reveal.author.handle}</span>
        </Fact>
        <Fact term="Posted">{formatDateTime(reveal.tweetedAt)}</Fact>
        <Fact term="Likes">{formatCount(reveal.likes)}</Fact>
        <Fact term="Retweets">{formatCount(reveal.retweets)}</Fact>
        {reveal.url && (
          <Fact term="Original">
            <a href={reveal.url} target="_blank" rel="noopener noreferrer">
              View the tweet<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </Fact>
        )}
      </dl>
    );
  }
  const sampling = Object.entries(reveal.sampling).filter(([, v]) => v !== null && v !== undefined);
  return (
    <dl className="facts">
      <Fact term="Model">{reveal.model.name}</Fact>
      <Fact term="Version">{reveal.model.version}</Fact>
      <Fact term="Sampling">
        {sampling.length === 0
          ? 'defaults'
          : sampling.map(([k, v], i) => (
              <span key={k}>
                {i > 0 && ', '}
                <code>{k}</code> {String(v)}
              </span>
            ))}
      </Fact>
      <Fact term="Generated">{formatDateTime(reveal.generatedAt)}</Fact>
    </dl>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

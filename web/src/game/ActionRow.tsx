import { formatCount } from '../common/format';

interface Props {
  retweets?: number;
  likes?: number;
}

// Decoration that makes the card read as a tweet; the numbers that matter are also in the reveal.
export function ActionRow({ retweets, likes }: Props) {
  return (
    <div className="tweet__actions" aria-hidden="true">
      <span className="tweet__action">
        <Icon d="M2 6a4 4 0 0 1 4-4h12a4 4 0 0 1 4 4v7a4 4 0 0 1-4 4h-7l-5 4v-4a4 4 0 0 1-4-4z" />
      </span>
      <span className="tweet__action">
        <Icon d="M7 4 3 8l4 4M3 8h13a4 4 0 0 1 4 4v1M17 20l4-4-4-4M21 16H8a4 4 0 0 1-4-4v-1" />
        {retweets !== undefined && <span>{formatCount(retweets)}</span>}
      </span>
      <span className="tweet__action">
        <Icon d="M12 20s-8-4.5-8-10.5A4.5 4.5 0 0 1 12 7a4.5 4.5 0 0 1 8 2.5C20 15.5 12 20 12 20z" />
        {likes !== undefined && <span>{formatCount(likes)}</span>}
      </span>
      <span className="tweet__action">
        <Icon d="M12 3v12M7 8l5-5 5 5M5 14v5a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-5" />
      </span>
    </div>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

import type { Ref } from 'react';
import type { GuessResult } from '../api/types';
import { formatDate } from '../common/format';
import { ActionRow } from './ActionRow';

interface Props {
  text: string;
  /** Absent until the guess is answered: nothing of the back face exists before then. */
  result?: GuessResult;
  /** The front face, focused when a new round is dealt so a screen reader reads it first. */
  ref?: Ref<HTMLElement>;
}

/**
 * The tweet, as a card that flips to its revealed side once the guess is answered. Before
 * that the author is a grey placeholder, never hidden text, so the page holds only the
 * words of the tweet. Exactly one face carries `tweet-text` at a time.
 */
export function TweetCard({ text, result, ref }: Props) {
  const revealed = result !== undefined;
  return (
    <div className={`flip${revealed ? ' flip--revealed' : ''}`}>
      <div className="flip__inner">
        <article
          ref={ref}
          tabIndex={-1}
          className="tweet tweet--front"
          aria-label="The tweet to judge"
          aria-hidden={revealed || undefined}
          inert={revealed || undefined}
        >
          <header className="tweet__header">
            <div className="avatar avatar--unknown" aria-hidden="true">
              ?
            </div>
            <div className="tweet__who">
              <span className="placeholder placeholder--name" />
              <span className="placeholder placeholder--handle" />
              <span className="visually-hidden">Author hidden until you guess</span>
            </div>
          </header>
          <p className="tweet__text" data-testid={revealed ? undefined : 'tweet-text'}>
            {text}
          </p>
          <ActionRow />
        </article>
        {result && <RevealedFace text={text} result={result} />}
      </div>
    </div>
  );
}

function RevealedFace({ text, result }: { text: string; result: GuessResult }) {
  const { reveal } = result;
  return (
    <article className={`tweet tweet--back tweet--${reveal.kind}`} aria-label="The tweet, revealed">
      <header className="tweet__header">
        {reveal.kind === 'human' ? (
          <>
            <div className="avatar avatar--human" aria-hidden="true">
              {initial(reveal.author.name || reveal.author.handle)}
            </div>
            <div className="tweet__who">
              <span className="tweet__name">{reveal.author.name}</span>
              <span className="tweet__handle">
                @{reveal.author.handle} · <time dateTime={reveal.tweetedAt}>{formatDate(reveal.tweetedAt)}</time>
              </span>
            </div>
          </>
        ) : (
          <>
            <div className="avatar avatar--machine" aria-hidden="true">
              AI
            </div>
            <div className="tweet__who">
              <span className="tweet__name">{reveal.model.name}</span>
              <span className="tweet__handle">
                version {reveal.model.version} · <time dateTime={reveal.generatedAt}>{formatDate(reveal.generatedAt)}</time>
              </span>
            </div>
          </>
        )}
      </header>
      <p className="tweet__text" data-testid="tweet-text">
        {text}
      </p>
      {reveal.kind === 'human' ? <ActionRow retweets={reveal.retweets} likes={reveal.likes} /> : <ActionRow />}
    </article>
  );
}

const initial = (name: string) => Array.from(name.replace(/^@/, ''))[0]?.toUpperCase() ?? '?';

import { useEffect, useState } from 'react';
import { copyText } from './copyText';
import { shareLinks, shareText, type ShareScore } from './shareText';

export function ShareButtons(props: ShareScore) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const text = shareText(props);
  const url = window.location.origin + '/';
  const links = shareLinks(text, url);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = () => copyText(`${text} ${url}`).then(() => setCopied('yes'), () => setCopied('failed'));

  return (
    <div className="share" role="group" aria-label="Share your score">
      <a className="button button--secondary" href={links.x} target="_blank" rel="noopener noreferrer" data-testid="share-x">
        Share on X<span className="visually-hidden"> (opens in a new tab)</span>
      </a>
      <a className="button button--secondary" href={links.bluesky} target="_blank" rel="noopener noreferrer" data-testid="share-bluesky">
        Share on Bluesky<span className="visually-hidden"> (opens in a new tab)</span>
      </a>
      <button type="button" className="button button--secondary" onClick={copy} data-testid="share-copy">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied === 'yes' ? 'Copied to the clipboard' : copied === 'failed' ? 'Could not copy' : ''}
      </span>
    </div>
  );
}

import { describe, expect, it } from 'vitest';
import { cleanTweetText } from './clean-tweet-text.js';
import { nearDuplicateKey } from './near-duplicate-key.js';

describe('cleanTweetText', () => {
  it('decodes the HTML entities X escapes, named and numeric, and leaves unknown ones', () => {
    expect(cleanTweetText('Q&amp;A &lt;3 &quot;hi&quot; &#39;x&#39; &#x1F680; &bogus; &#0;')).toBe(`Q&A <3 "hi" 'x' 🚀 &bogus; &#0;`);
  });

  it('removes invisible characters but keeps the joiners that hold emoji together', () => {
    expect(cleanTweetText('in\u200bvisible\u200e \ufeffmarks\u00ad 👩\u200d💻 ❤\ufe0f')).toBe('invisible marks 👩\u200d💻 ❤\ufe0f');
  });

  it('collapses spaces, keeps at most one blank line, trims', () => {
    expect(cleanTweetText('  a\u00a0\u00a0 b\t c \r\n\r\n\r\n\n d  \n')).toBe('a b c\n\nd');
  });
});

describe('nearDuplicateKey', () => {
  it('makes tweets that differ in case, punctuation, links, mentions and emoji collide', () => {
    expect(nearDuplicateKey('Great news!! 🎉 https://t.co/xyz @bob')).toBe(nearDuplicateKey('great   news… #'));
    expect(nearDuplicateKey('great news')).not.toBe(nearDuplicateKey('great views'));
  });
});

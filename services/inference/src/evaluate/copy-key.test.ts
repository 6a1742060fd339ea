import { describe, expect, it } from 'vitest';
import { copyKey } from './copy-key.js';

describe('copyKey', () => {
  it('gives one key to a tweet whatever its case, spacing and trailing punctuation', () => {
    const key = copyKey('Great news for the team');
    for (const variant of [
      'great news for the team',
      'GREAT NEWS FOR THE TEAM!!!',
      '  Great   news\nfor the\tteam.',
      'Great news for the team…',
      'Great news for the team...',
      'Great news for the team ?!',
      'Great\u00a0news for the team',
      'Ｇｒｅａｔ ｎｅｗｓ ｆｏｒ ｔｈｅ ｔｅａｍ',
    ]) {
      expect(copyKey(variant), variant).toBe(key);
    }
    expect(key).toBe('great news for the team');
  });

  it('keeps words, their order and the punctuation inside the text apart', () => {
    expect(copyKey('great news for the team')).not.toBe(copyKey('great news for the club'));
    expect(copyKey('great news for the team')).not.toBe(copyKey('for the team great news'));
    expect(copyKey("let's eat, grandma")).not.toBe(copyKey("let's eat grandma"));
    expect(copyKey('¿qué pasa?')).not.toBe(copyKey('qué pasa'));
  });

  it('leaves nothing of a tweet that is only punctuation and space', () => {
    expect(copyKey(' ... !! ')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { shareLinks, shareText } from './shareText';

describe('sharing', () => {
  it('puts the score, streak and edition in the X and Bluesky intents', () => {
    const text = shareText({ score: 7, bestStreak: 3, editionName: 'Venture Capital' });
    expect(text).toMatch(/^I scored 7 with a streak of 3 on Twitter Turing Test \(Venture Capital edition\)/);
    const links = shareLinks(text, 'https://ttt.example/');
    const x = new URL(links.x);
    expect(x.origin + x.pathname).toBe('https://x.com/intent/post');
    expect(x.searchParams.get('text')).toBe(text);
    expect(x.searchParams.get('url')).toBe('https://ttt.example/');
    const bsky = new URL(links.bluesky);
    expect(bsky.origin + bsky.pathname).toBe('https://bsky.app/intent/compose');
    expect(bsky.searchParams.get('text')).toBe(`${text} https://ttt.example/`);
  });
});

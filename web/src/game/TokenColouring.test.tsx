import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ColouredTokens } from './TokenColouring';
import { bucketOf } from './tokenBuckets';

describe('token colouring', () => {
  it('puts ranks into the GLTR bands at 10, 100 and 1000', () => {
    expect([1, 10, 11, 100, 101, 1000, 1001, 50_000].map(bucketOf)).toEqual(['top10', 'top10', 'top100', 'top100', 'top1000', 'top1000', 'rest', 'rest']);
  });

  it('colours each token by its band, with its rank and probability on hover', () => {
    const tokens = [
      { text: 'Hiring', probability: 0.2, rank: 1 },
      { text: ' is', probability: 0.05, rank: 50 },
      { text: ' the', probability: 0.002, rank: 700 },
      { text: ' job', probability: 0.00001, rank: 4000 },
    ];
    render(<ColouredTokens tokens={tokens} model="gpt2-twitter-vc" />);
    const shown = screen.getAllByTestId('token');
    expect(shown.map((t) => t.className)).toEqual(['token token--top10', 'token token--top100', 'token token--top1000', 'token token--rest']);
    expect(shown.map((t) => t.textContent).join('')).toBe('Hiring is the job');
    expect(shown[0]!.title).toBe('Rank 1 · probability 20%');
    expect(shown[3]!.title).toBe('Rank 4,000 · probability 1.0e-5');
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('Top 10: 1 token');
  });
});

import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { fakeServer, me } from '../test/fakeServer';

describe('the stats page', () => {
  it('draws both charts from /api/stats, with text alternatives', async () => {
    window.history.replaceState(null, '', '/stats');
    fakeServer({
      'GET /api/me': { body: me },
      'GET /api/stats': {
        body: {
          editions: [{ slug: 'vc', name: 'Venture Capital', guesses: 120, correct: 80, accuracy: 0.667 }],
          models: [{ category: 'vc', version: 3, versionId: 12, guesses: 60, fooled: 25, foolRate: 0.417 }],
          daily: [{ day: '2026-11-29', edition: 'vc', guesses: 120, correct: 80, accuracy: 0.667 }],
          modelDaily: [{ day: '2026-11-29', category: 'vc', version: 3, versionId: 12, guesses: 60, fooled: 25, foolRate: 0.417 }],
        },
      },
    });
    render(<App />);

    const foolRate = await screen.findByTestId('stats-chart-fool-rate');
    expect(foolRate.querySelectorAll('path.chart__line')).toHaveLength(1);
    const accuracy = screen.getByTestId('stats-chart-accuracy');
    expect(accuracy.querySelectorAll('rect.chart__bar')).toHaveLength(1);
    expect(screen.getByRole('img', { name: /accuracy per edition.*Venture Capital 66.7%/i })).toBe(accuracy);
    expect(screen.getByTestId('stats-models-table').textContent).toContain('41.7%');
  });
});

import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { editions, fakeServer, me } from '../test/fakeServer';

const board = (period: string, you: { rank: number; correct: number; played: number } | null) => ({
  edition: 'vc',
  period,
  entries: [
    { rank: 1, nickname: 'ada', correct: 9, played: 10, accuracy: 0.9 },
    { rank: 2, nickname: 'anonymous', correct: 5, played: 8, accuracy: 0.625 },
  ],
  you,
});

describe('the leaderboard', () => {
  it('highlights you, and switches period', async () => {
    window.history.replaceState(null, '', '/leaderboard');
    const server = fakeServer({
      'GET /api/me': { body: me },
      'GET /api/editions': { body: editions },
      'GET /api/leaderboard?edition=vc&period=today': { body: board('today', { rank: 2, correct: 5, played: 8 }) },
      'GET /api/leaderboard?edition=vc&period=all': { body: board('all', { rank: 40, correct: 1, played: 3 }) },
    });
    render(<App />);

    const table = await screen.findByTestId('leaderboard-table');
    const you = within(table).getByTestId('leaderboard-you');
    expect(you.textContent).toContain('anonymous');
    expect(you.getAttribute('aria-current')).toBe('true');

    fireEvent.click(screen.getByTestId('period-all'));
    await waitFor(() => expect(within(screen.getByTestId('leaderboard-table')).getByTestId('leaderboard-you').textContent).toContain('40'));
    expect(server.calls.map((c) => c.path)).toContain('/api/leaderboard?edition=vc&period=all');
  });

  it('saves a nickname', async () => {
    window.history.replaceState(null, '', '/leaderboard');
    const server = fakeServer({
      'GET /api/me': { body: me },
      'GET /api/editions': { body: editions },
      'GET /api/leaderboard': { body: board('today', null) },
      'PUT /api/me': (call) => ({ body: { ...me, ...(call.body as object) } }),
    });
    render(<App />);
    const input = await screen.findByTestId('nickname-input');

    fireEvent.change(input, { target: { value: 'bad<name>' } });
    fireEvent.click(screen.getByTestId('nickname-save'));
    expect(await screen.findByText('Use letters, digits, spaces and _ - . only.')).toBeTruthy();

    fireEvent.change(input, { target: { value: ' Ada L. ' } });
    fireEvent.click(screen.getByTestId('nickname-save'));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(server.callsTo('PUT', '/api/me').map((c) => c.body)).toEqual([{ nickname: 'Ada L.' }]);
  });
});

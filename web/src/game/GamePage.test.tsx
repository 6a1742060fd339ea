import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { editions, fakeServer, humanAnswer, me, round, tokens } from '../test/fakeServer';

const routes = {
  'GET /api/me': { body: me },
  'GET /api/editions': { body: editions },
  'POST /api/rounds': { status: 201, body: round },
  'POST /api/rounds/r1/guess': { body: humanAnswer },
  'GET /api/rounds/r1/tokens': { body: tokens },
};

describe('the game', () => {
  it('shows only the tweet before the guess, and the reveal after', async () => {
    const server = fakeServer(routes);
    render(<App />);

    expect((await screen.findByTestId('tweet-text')).textContent).toBe(round.text);
    expect(screen.queryByTestId('reveal')).toBeNull();
    expect(screen.queryByTestId('reveal-truth')).toBeNull();
    expect(document.body.textContent).not.toContain('Paul Graham');
    expect(server.callsTo('GET', '/api/rounds/')).toHaveLength(0);
    expect(localStorage.length + sessionStorage.length).toBe(0);

    fireEvent.click(screen.getByTestId('guess-human'));

    expect((await screen.findByTestId('reveal-truth')).textContent).toBe('human');
    expect(screen.getByTestId('reveal').textContent).toContain('Correct!');
    expect(document.body.textContent).toContain('Paul Graham');
    expect(screen.getAllByTestId('tweet-text')).toHaveLength(1);
    expect(screen.getByTestId('score').textContent).toBe('1');
    expect(screen.getByTestId('best-streak').textContent).toBe('1');
    expect(await screen.findAllByTestId('token')).toHaveLength(4);
    // Focus moves in an effect, which React may run a task after the DOM changed.
    await waitFor(() => expect(document.activeElement?.id).toBe('reveal-heading'));
    // The session is made by the first call, before anything else goes out.
    expect(server.calls[0]!.path).toBe('/api/me');
  });

  it('guesses human on H, and deals the next tweet once on Enter', async () => {
    const server = fakeServer({
      ...routes,
      'POST /api/rounds': (_, nth) => ({ status: 201, body: nth === 0 ? round : { ...round, id: 'r2', text: 'Second tweet' } }),
    });
    render(<App />);
    await screen.findByTestId('tweet-text');

    fireEvent.keyDown(document.body, { key: 'h' });
    fireEvent.keyDown(document.body, { key: 'm' });
    await screen.findByTestId('reveal');
    expect(server.callsTo('POST', '/api/rounds/r1/guess').map((c) => c.body)).toEqual([{ guess: 'human' }]);

    const next = screen.getByTestId('next-round');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    fireEvent.click(next);
    fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(screen.getByTestId('tweet-text').textContent).toBe('Second tweet'));
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('The tweet to judge'));
    expect(server.callsTo('POST', '/api/rounds').filter((c) => c.path === '/api/rounds')).toHaveLength(2);
    expect(screen.queryByTestId('reveal')).toBeNull();
  });

  it('says the server is busy on a 429 and retries after Retry-After', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const server = fakeServer({
      ...routes,
      'POST /api/rounds': (_, nth) =>
        nth === 0 ? { status: 429, headers: { 'retry-after': '5' }, body: { statusCode: 429, error: 'Too Many Requests', message: 'Slow down' } } : { status: 201, body: round },
    });
    render(<App />);

    const notice = await screen.findByTestId('busy-notice');
    // 5 s counted down from the 429; fake time follows real time, so a loaded machine may
    // already have ticked a second or two off before the notice is seen.
    expect(notice.textContent).toMatch(/retrying in [345] s/);
    expect(server.callsTo('POST', '/api/rounds')).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect((await screen.findByTestId('tweet-text')).textContent).toBe(round.text);
    expect(screen.queryByTestId('busy-notice')).toBeNull();
    expect(server.callsTo('POST', '/api/rounds')).toHaveLength(2);
  });

  it('shows the error with a retry once the server stays busy', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const busy = { status: 503, headers: { 'retry-after': '1' }, body: { statusCode: 503, error: 'Service Unavailable', message: 'Nothing to serve yet in this edition.' } };
    const server = fakeServer({ ...routes, 'POST /api/rounds': (_, nth) => (nth < 4 ? busy : { status: 201, body: round }) });
    render(<App />);

    await screen.findByTestId('busy-notice');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    const error = await screen.findByTestId('error');
    expect(error.textContent).toContain('Nothing to serve yet in this edition.');
    expect(server.callsTo('POST', '/api/rounds')).toHaveLength(4);

    fireEvent.click(screen.getByRole('button', { name: 'Deal a new tweet' }));
    expect((await screen.findByTestId('tweet-text')).textContent).toBe(round.text);
  });

  it('never deals two rounds at once, even when the edition changes mid-deal', async () => {
    let inFlight = 0;
    let most = 0;
    const pending: (() => void)[] = [];
    const server = fakeServer({
      ...routes,
      'POST /api/rounds': async (call) => {
        most = Math.max(most, ++inFlight);
        await new Promise<void>((resolve) => pending.push(resolve));
        inFlight--;
        const category = (call.body as { category: string }).category;
        return { status: 201, body: { ...round, id: `r-${category}`, category, text: `A ${category} tweet` } };
      },
    });
    render(<App />);
    await waitFor(() => expect(pending).toHaveLength(1));

    fireEvent.change(screen.getByTestId('edition-picker'), { target: { value: 'covid' } });
    await act(async () => pending.shift()!());
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending.shift()!());

    expect((await screen.findByTestId('tweet-text')).textContent).toBe('A covid tweet');
    expect(server.callsTo('POST', '/api/rounds').map((c) => c.body)).toEqual([{ category: 'vc' }, { category: 'covid' }]);
    expect(most).toBe(1);
  });
});

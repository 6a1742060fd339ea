/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunningService } from '@ttt/observability/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGameWorld, type GameWorld } from './game-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The fixture's pages (a random model, made-up tweets); docs/screenshots/ holds real ones.
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/e2e/', import.meta.url));
// What only a guess may reveal: the truth field, the human authors' handles (the fixture names
// them author_<id>), the model's name, and the reveal itself.
const ANSWER_MARKERS = [/"truth"/, /author_\d+/, /gpt2-twitter/, /"reveal"/, /"kind"\s*:\s*"(human|machine)"/];

interface Seen {
  seq: number;
  method: string;
  path: string;
  status: number;
  body: string;
}

describe('the game in Chromium', () => {
  let world: GameWorld;
  let inference: RunningService;
  let game: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    world = await createGameWorld('browser', { poolSize: 200 });
    inference = await world.startInference();
    game = await world.startGame({ INFERENCE_URL: inference.url, GAME_RATE_SESSION_PER_MIN: '1000' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('plays 20 rounds: the score adds up with the server, and nothing shows the answer before the guess', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const seen: Seen[] = [];
    const pending: Promise<void>[] = [];
    let seq = 0;
    const order = new Map<string, number>();
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/api/')) order.set(`${req.method()} ${path}`, ++seq);
    });
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (!path.startsWith('/api/')) return;
      const entry = { seq: order.get(`${res.request().method()} ${path}`) ?? 0, method: res.request().method(), path, status: res.status(), body: '' };
      seen.push(entry);
      pending.push(res.text().then((t) => void (entry.body = t), () => undefined));
    });

    await page.goto(game.url);
    const picker = page.getByTestId('edition-picker');
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['vc', 'covid19', 'democrats']);

    let score = 0;
    let streak = 0;
    let best = 0;
    const editions = ['vc', 'covid19'];
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 0) await picker.selectOption(editions[(i / 5) % 2]!);
      const guessButton = page.locator('[data-testid="guess-human"]:not([disabled])');
      await guessButton.waitFor();
      await Promise.all(pending);
      const text = await page.getByTestId('tweet-text').innerText();
      expect(text.length).toBeGreaterThan(0);

      // Before the guess: the page, the storage and every answer so far hold no trace of it.
      await expectNoAnswer(page, seen);
      if (i === 0) await page.screenshot({ path: `${SCREENSHOTS}card.png` });

      const guess = i % 3 === 0 ? 'machine' : 'human';
      if (i % 2 === 0) await page.keyboard.press(guess === 'human' ? 'h' : 'm');
      else await page.getByTestId(`guess-${guess}`).click();
      const truth = (await page.getByTestId('reveal-truth').innerText()).trim();
      expect(['human', 'machine']).toContain(truth);

      const right = truth === guess;
      score += right ? 1 : 0;
      streak = right ? streak + 1 : 0;
      best = Math.max(best, streak);
      await expect.poll(() => page.getByTestId('score').innerText()).toBe(String(score));
      expect(await page.getByTestId('streak').innerText()).toBe(String(streak));
      expect(await page.getByTestId('best-streak').innerText()).toBe(String(best));

      // The page's truth is the server's.
      await Promise.all(pending);
      const dealt = seen.filter((s) => s.method === 'POST' && s.path === '/api/rounds' && s.status === 201).at(-1)!;
      const roundId = JSON.parse(dealt.body).id as string;
      const { rows } = await world.pool.query('SELECT truth, text FROM rounds WHERE id = $1', [roundId]);
      expect(rows[0]).toEqual({ truth, text });

      if (i === 0) {
        await page.getByTestId('token').first().waitFor();
        await settled(page);
        await page.screenshot({ path: `${SCREENSHOTS}reveal.png`, fullPage: true });
      }
      if (i % 2 === 0) await page.keyboard.press('Enter');
      else await page.getByTestId('next-round').click();
    }

    // The server's record agrees with what the page showed.
    const me = await (await page.request.get(`${game.url}/api/me`)).json();
    expect(me).toMatchObject({ score, streak, bestStreak: best, roundsPlayed: 20 });
    // The token colouring of a round is only ever asked for after its guess.
    await Promise.all(pending);
    for (const tokens of seen.filter((s) => s.path.endsWith('/tokens'))) {
      const id = tokens.path.split('/')[3];
      const guessed = seen.find((s) => s.path === `/api/rounds/${id}/guess`);
      expect(guessed, `tokens of ${id} before its guess`).toBeDefined();
      expect(guessed!.seq).toBeLessThan(tokens.seq);
    }

    await page.goto(`${game.url}/stats`);
    await page.getByTestId('stats-chart-fool-rate').waitFor();
    await page.getByTestId('stats-chart-accuracy').waitFor();
    await settled(page);
    await page.screenshot({ path: `${SCREENSHOTS}stats.png`, fullPage: true });
    await page.goto(`${game.url}/leaderboard`);
    await page.getByTestId('leaderboard-table').waitFor();
    await settled(page);
    await page.screenshot({ path: `${SCREENSHOTS}leaderboard.png`, fullPage: true });
    await context.close();
  });

  it('fits a phone screen and can be played with the keyboard alone', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(game.url);
    await page.locator('[data-testid="guess-machine"]:not([disabled])').waitFor();
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await settled(page);
    await page.screenshot({ path: `${SCREENSHOTS}phone.png` });
    await page.keyboard.press('m');
    await page.getByTestId('reveal-truth').waitFor();
    // Focus moves to the reveal, so a screen-reader or keyboard player lands on the answer.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reveal-heading');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="guess-human"]:not([disabled])').waitFor();
    await context.close();
  });
});

/** Waits for the card's flip and other transitions to finish, so screenshots show the end state. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

async function expectNoAnswer(page: Page, seen: Seen[]): Promise<void> {
  const html = await page.content();
  expect(await page.getByTestId('reveal').count()).toBe(0);
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  for (const marker of ANSWER_MARKERS) {
    expect(html, `page before the guess matches ${marker}`).not.toMatch(marker);
    expect(storage, `storage matches ${marker}`).not.toMatch(marker);
  }
  for (const s of seen) {
    if (s.path.endsWith('/guess') || s.path.endsWith('/tokens')) continue;
    for (const marker of ANSWER_MARKERS) expect(s.body, `${s.method} ${s.path} matches ${marker}`).not.toMatch(marker);
  }
}

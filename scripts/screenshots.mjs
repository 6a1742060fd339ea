// `npm run screenshots [-- --url http://localhost:3000 --rounds 24]`: plays the running game in
// Chromium and saves the pages as docs/screenshots/*.png (the README shows them). It plays real
// rounds, so its guesses land in that game's statistics: run it against a development database.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://localhost:3000' }, rounds: { type: 'string', default: '24' } } });
const out = new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
const shot = async (page, name, fullPage = true) => {
  await settled(page);
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  console.log(`  docs/screenshots/${name}.png`);
};

try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(values.url);
  const picker = page.getByTestId('edition-picker');
  await picker.waitFor();
  const editions = await picker.locator('option').evaluateAll((options) => options.map((o) => o.value));
  console.log(`▸ playing ${values.rounds} rounds over ${editions.join(', ')}`);
  await page.getByRole('textbox', { name: /nickname/i }).fill('screenshots').catch(() => undefined);
  for (let i = 0; i < Number(values.rounds); i++) {
    if (i % 6 === 0) await picker.selectOption(editions[(i / 6) % editions.length]);
    await page.locator('[data-testid="guess-human"]:not([disabled])').waitFor();
    if (i === 0) await shot(page, 'card', false);
    await page.keyboard.press(Math.random() < 0.5 ? 'h' : 'm');
    await page.getByTestId('reveal-truth').waitFor();
    if (i === 1) {
      await page.getByTestId('token').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await shot(page, 'reveal');
    }
    await page.keyboard.press('Enter');
  }
  await page.goto(`${values.url}/stats`);
  await page.getByTestId('stats-chart-fool-rate').waitFor();
  await shot(page, 'stats');
  await page.goto(`${values.url}/leaderboard`);
  await page.getByTestId('leaderboard-table').waitFor().catch(() => undefined);
  await shot(page, 'leaderboard');
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  await small.goto(values.url);
  await small.locator('[data-testid="guess-human"]:not([disabled])').waitFor();
  await shot(small, 'phone', false);
} finally {
  await browser.close();
}

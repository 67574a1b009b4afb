/**
 * `npx tsx demo/screenshot.ts [out.png] [path] [width] [dark]`: the README screenshots. Starts
 * the demo on a throw-away database with the full fleet, opens `path` (default /console)
 * in headless Chromium at 1280×800 (or `width` wide: 390 gives a phone's 390×844,
 * scrolled to the device cards) and
 * saves it (default docs/screenshot.png). Needs the widgets built (`npm run build`).
 *
 *   npx tsx demo/screenshot.ts docs/screenshot-de-desktop.png '/console?lang=de'
 *   npx tsx demo/screenshot.ts docs/screenshot-de-phone.png '/console?lang=de' 390
 *   npx tsx demo/screenshot.ts docs/screenshot-dark.png /console 1280 dark
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemo } from './main.ts';

const out = process.argv[2] ?? 'docs/screenshot.png';
const path = process.argv[3] ?? '/console';
const width = Number(process.argv[4] ?? 1280);
const height = width < 600 ? 844 : 800;
const scheme = process.argv[5] === 'dark' ? 'dark' : 'light';
const directory = mkdtempSync(join(tmpdir(), 'bh-demo-shot-'));
const demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, simulator: false, print: null });
try {
  await demo.ready;
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
  await page.goto(`${demo.url}${path}`);
  // The widgets render rows once their first page of data arrives.
  // (`attached`: on a phone the rows are cards below the fold.)
  await page.getByRole('row').nth(10).waitFor({ state: 'attached', timeout: 15_000 });
  // The live stream stays open, so there is no "network idle": let late parts (the
  // lazily loaded trends chart) settle.
  await page.waitForTimeout(2_500);
  // A phone shows the device cards: the tabs, strip and trends are above them.
  if (width < 600) {
    await page.evaluate("document.querySelector('backup-health-dashboard')?.shadowRoot?.querySelector('backup-health-table')?.scrollIntoView({ block: 'start' })");
    await page.waitForTimeout(500);
  }
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`Saved ${out}`);
} finally {
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
}

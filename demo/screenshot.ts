/**
 * `npx tsx demo/screenshot.ts [out.png] [path]`: the README screenshot. Starts the
 * demo on a throw-away database with the full fleet, opens `path` (default
 * /console) in headless Chromium at 1280×800 and saves it (default docs/screenshot.png).
 * Needs the widgets built (`npm run build`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemo } from './main.ts';

const out = process.argv[2] ?? 'docs/screenshot.png';
const path = process.argv[3] ?? '/console';
const directory = mkdtempSync(join(tmpdir(), 'bh-demo-shot-'));
const demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, simulator: false, print: null });
try {
  await demo.ready;
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${demo.url}${path}`);
  // The widgets render rows once their first page of data arrives.
  await page.getByRole('row').nth(10).waitFor({ timeout: 15_000 });
  // The live stream stays open, so there is no "network idle": let late parts settle.
  await page.waitForTimeout(800);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`Saved ${out}`);
} finally {
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
}

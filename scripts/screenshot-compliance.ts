/**
 * docs/screenshot-compliance-period.png: the Clients tab's SLA compliance over a period
 * (`<client-compliance>`'s period picker, per-client figures and 12-week sparklines) on
 * the seeded demo, in headless Chromium.
 *   npx vite build && npx tsx scripts/screenshot-compliance.ts [out.png]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemo } from '../demo/main.ts';

const out = process.argv[2] ?? 'docs/screenshot-compliance-period.png';
if (!existsSync('dist/widgets/backup-health.js')) throw new Error('Build the widgets first: npx vite build');
const directory = mkdtempSync(join(tmpdir(), 'bh-screenshot-'));
const demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, deviceCount: 120, simulator: { intervalMs: 0 }, print: null });
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  await demo.ready;
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${demo.url}/console`);
  await page.getByRole('tab', { name: 'Clients' }).click();
  const period = page.locator('bh-client-period');
  // The last 30 days (the demo's history is younger than a calendar month), in the view's stated timezone, every client's sparkline drawn.
  await period.locator('[part="period-range"]').waitFor({ timeout: 30_000 });
  await period.locator('tbody tr svg[role="img"]').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.waitForTimeout(500);
  await period.screenshot({ path: out });
  process.stdout.write(`Written: ${out}\n`);
} finally {
  await browser.close();
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
}

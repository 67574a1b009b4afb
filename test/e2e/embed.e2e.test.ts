/**
 * The README's embed snippet, taken verbatim from README.md, served by a host page on
 * another loopback origin against the demo (which allows that origin through
 * BHM_CORS_ORIGINS): the widgets load cross-origin, render the fleet, and get a new
 * token through `bh-auth-expired` when the first one is refused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createApiClient, type ApiClient } from '../../demo/api-client.ts';
import { startDemo, type RunningDemo } from '../../demo/main.ts';

const LAUNCH_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const PLACEHOLDER = 'https://bff.example.com';

/** The first ```html block under the README's "## Embed" heading. */
function readmeSnippet(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## Embed'));
  const match = /```html\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README.md has an html block under "## Embed"');
  return match[1]!;
}

let demo: RunningDemo;
let api: ApiClient;
let host: Server;
let hostUrl: string;
let browser: Browser;
let directory: string;
let mints = 0;

before(async () => {
  if (!existsSync('dist/widgets/backup-health.js')) execFileSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  const snippet = readmeSnippet();
  host = createServer(async (request, response) => {
    if (request.url === '/backup-health-token') {
      mints += 1;
      // The first token is refused (as an expired one would be): the snippet must mint another.
      const token = mints === 1 ? 'bhe_refused.refused' : (await api.post('/embed-tokens', { ttlSeconds: 600 })).token;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    const page = `<!doctype html><html lang="en"><head><title>Host portal</title></head><body><h1>Host portal</h1>${snippet.replaceAll(PLACEHOLDER, demo.url)}</body></html>`;
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  // Another origin than the demo's: another port on loopback (localhost vs 127.0.0.1 differ too).
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
  directory = mkdtempSync(join(tmpdir(), 'bh-embed-e2e-'));
  demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, deviceCount: 40, simulator: false, print: null, corsOrigins: hostUrl });
  await demo.ready;
  api = createApiClient(`${demo.url}/api/v1`, demo.adminKey);
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await new Promise((resolve) => host?.close(resolve));
  if (directory) rmSync(directory, { recursive: true, force: true });
});

test("the README's embed snippet renders the fleet from another origin and refreshes its token", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const apiOrigins = new Set<string>();
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/')) apiOrigins.add(new URL(request.url()).origin);
  });
  await page.goto(hostUrl);
  const [worst] = (await api.get('/devices?sort=score&limit=1')).items;
  assert.ok(worst, 'the demo fleet has devices');
  await page.getByRole('row').filter({ hasText: worst.name }).first().waitFor({ timeout: 15_000 });
  assert.ok(mints >= 2, `the snippet minted ${mints} token(s); the refused first one must be replaced`);
  assert.deepEqual([...apiOrigins], [new URL(demo.url).origin], 'the API is called cross-origin, on the BFF');
  assert.notEqual(new URL(hostUrl).origin, new URL(demo.url).origin);
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * End to end: the real demo (BFF, seeded fleet through the API, stand-ins) in this
 * process, driven in headless Chromium with playwright-core. Locators use roles and
 * accessible names; Playwright's engines pierce the widgets' open shadow roots.
 * Screenshots go to test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AlertItem, ClientItem, DeviceItem, Page as ListPage } from '../../core/api.ts';
import { createApiClient, type ApiClient } from '../../demo/api-client.ts';
import { startDemo, type RunningDemo } from '../../demo/main.ts';
import { DARK, LIGHT } from '../../widgets/shared/palettes.ts';

const ARTIFACTS = 'test-artifacts/e2e';
const WIDGETS = 'dist/widgets/backup-health.js';
const LAUNCH_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
/** Web-first assertions wait up to this long for the UI. */
const UI_TIMEOUT = 10_000;

let demo: RunningDemo;
let api: ApiClient;
let browser: Browser;
let directory: string;

before(async () => {
  if (!existsSync(WIDGETS)) execFileSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  mkdirSync(ARTIFACTS, { recursive: true });
  directory = mkdtempSync(join(tmpdir(), 'bh-demo-e2e-'));
  demo = await startDemo({
    port: 0,
    databaseUrl: `file:${join(directory, 'demo.db')}`,
    deviceCount: 60,
    // Ticks only when a test asks: what changes on screen is what the test posted.
    simulator: { intervalMs: 0 },
    print: null,
  });
  await demo.ready;
  api = createApiClient(`${demo.url}/api/v1`, demo.adminKey);
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
});

// A test that fails before its page.close() must not leave the page running (and
// listening to the live stream) into the next tests.
afterEach(async () => {
  for (const context of browser?.contexts() ?? []) await context.close().catch(() => undefined);
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** A page at 1280×800 that fails the test on any uncaught page error. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${demo.url}${path}`);
  return { page, errors };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until `check` passes (or throws its last error after the timeout). */
async function eventually<T>(check: () => Promise<T>, timeoutMs = UI_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const deviceRow = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });

test('the console shows the seeded fleet', async () => {
  const { page, errors } = await openPage('/console');
  const worst = await api.get('/devices?sort=score&limit=5');
  await deviceRow(page, worst.items[0]!.name).first().waitFor({ timeout: UI_TIMEOUT });
  const rows = await page.getByRole('row').count();
  assert.ok(rows > 10, `${rows} rows`);
  await shot(page, 'console');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the dashboard tabs switch between devices, clients, alerts and compliance', async () => {
  const { page, errors } = await openPage('/console');
  const panel = (name: string) => page.getByRole('tabpanel', { name });
  await page.getByRole('tab', { name: 'Clients' }).click();
  await panel('Clients').getByText('Contoso Dental').first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'tab-clients');
  await page.getByRole('tab', { name: 'Alerts' }).click();
  const alerts = await api.get('/alerts?state=active&limit=1');
  await panel('Alerts').getByText(alerts.items[0]!.device.name).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'tab-alerts');
  await page.getByRole('tab', { name: 'Compliance' }).click();
  const breach = await api.get('/compliance');
  assert.ok('generatedAt' in breach, 'without a period, /compliance answers the snapshot');
  await panel('Compliance').getByText(breach.devices.find((d) => d.state === 'breach')!.device.name).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'tab-compliance');
  assert.equal(await page.getByRole('tab', { name: 'Devices' }).getAttribute('aria-selected'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a console view is a link: the URL follows tab and filters, and the link reopens the view', async () => {
  const { page, errors } = await openPage('/console');
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  await page.getByRole('combobox', { name: 'Status' }).selectOption('critical');
  await page.getByRole('tab', { name: 'Alerts' }).click();
  await eventually(async () => assert.match(page.url(), /#.*tab=alerts/));
  const link = page.url();
  assert.match(link, /status=critical/);
  await page.goBack();
  await eventually(async () => assert.equal(await page.getByRole('tab', { name: 'Devices' }).getAttribute('aria-selected'), 'true'));

  const shared = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await shared.goto(link);
  await eventually(async () => assert.equal(await shared.getByRole('tab', { name: 'Alerts' }).getAttribute('aria-selected'), 'true'));
  await shared.getByRole('tab', { name: 'Devices' }).click();
  const [critical] = (await api.get('/devices?status=critical&sort=score&limit=1')).items;
  await deviceRow(shared, critical!.name).first().waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await shared.getByRole('combobox', { name: 'Status' }).inputValue(), 'critical');
  assert.deepEqual(errors, []);
  await shared.close();
  await page.close();
});

test('the console follows the OS theme until a theme is chosen, and remembers the choice', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await page.goto(`${demo.url}/console`);
  const provider = page.locator('#console-provider');
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await provider.getAttribute('theme'), 'auto');
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(await background(), 'rgb(13, 17, 23)', 'the frame is dark under a dark OS setting');
  // The widgets' own colours: light text on a dark theme.
  const tableTheme = () =>
    page.locator('backup-health-table').evaluate((table) => {
      const [r, g, b] = getComputedStyle(table.shadowRoot!.querySelector('[part~="base"]')!).color.match(/\d+/g)!.map(Number);
      return r! + g! + b! > 384 ? 'dark' : 'light';
    });
  assert.equal(await tableTheme(), 'dark');
  await shot(page, 'console-dark');

  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  await eventually(async () => assert.equal(await tableTheme(), 'light'));
  assert.equal(await background(), 'rgb(246, 248, 250)');
  await page.reload();
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'light');
  assert.equal(await tableTheme(), 'light');
  await page.close();
});

test('the theming page shows each theme\'s own colours, and a chosen colour stays chosen', async () => {
  const { page, errors } = await openPage('/theming');
  const swatch = (token: string) => page.locator(`input[type="color"][name="--bh-color-${token}"]`);
  assert.equal(await swatch('surface').inputValue(), LIGHT.surface);
  await swatch('accent').fill('#ff0000');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await eventually(async () => assert.equal(await swatch('surface').inputValue(), DARK.surface));
  assert.equal(await swatch('text').inputValue(), DARK.text);
  assert.equal(await swatch('accent').inputValue(), '#ff0000');
  assert.match(await page.locator('[data-theming-css]').textContent() ?? '', /--bh-color-accent: #ff0000;/);
  assert.doesNotMatch(await page.locator('[data-theming-css]').textContent() ?? '', /--bh-color-surface/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** The innermost elements (through shadow roots) whose right edge passes the viewport: what a failure names. */
async function elementsStickingOut(page: Page): Promise<string> {
  // A string, not a function: tsx's name helpers do not exist in the page.
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    const sticksOut = (element) => element.getBoundingClientRect().right > width + 1;
    const visit = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) visit(element.shadowRoot);
        if (element.getBoundingClientRect().width > 0 && sticksOut(element) && ![...element.children].some(sticksOut)) {
          const part = element.getAttribute('part');
          const cls = typeof element.className === 'string' && element.className ? ' class="' + element.className + '"' : '';
          found.push('<' + element.tagName.toLowerCase() + cls + (part ? ' part="' + part + '"' : '') + '> right ' + Math.round(element.getBoundingClientRect().right));
        }
      }
    };
    visit(document);
    return found.slice(0, 40).join(', ');
  })()`);
}

/** The console's words in each language the check runs in: German strings are longer. */
const CONSOLE_WORDS = {
  en: { tabs: ['Devices', 'Clients', 'Alerts', 'Compliance', 'Settings'], savedViews: 'Saved views', viewName: 'Name for the view on screen', longName: 'A rather long name for a view saved at' },
  de: { tabs: ['Geräte', 'Kunden', 'Alarme', 'Compliance', 'Einstellungen'], savedViews: 'Gespeicherte Ansichten', viewName: 'Name für die angezeigte Ansicht', longName: 'Ein recht langer Name für eine gespeicherte Ansicht bei' },
} as const;

test('no page-level horizontal scroll on a phone, a tablet or a laptop, on any tab, in English and in German', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  for (const lang of ['en', 'de'] as const) {
    const words = CONSOLE_WORDS[lang];
    const suffix = lang === 'en' ? '' : `-${lang}`;
    for (const width of [390, 768, 1280]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto(`${demo.url}/console?as=admin${lang === 'en' ? '' : `&lang=${lang}`}`);
      await page.getByRole('row').nth(2).waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      for (const name of words.tabs) {
        await page.getByRole('tab', { name }).click();
        await page.getByRole('tabpanel', { name }).locator(':scope > *').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT });
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        await shot(page, `console-${width}-${name.toLowerCase()}${suffix}`);
        assert.ok(overflow <= 0, `${name} at ${width} px (${lang}) is ${overflow} px wider than the screen; sticking out: ${overflow > 0 ? await elementsStickingOut(page) : ''}`);
      }
      // The saved views panel, with a view listed, fits too.
      await page.getByRole('button', { name: words.savedViews }).click();
      const nameField = page.getByRole('textbox', { name: words.viewName });
      await nameField.fill(`${words.longName} ${width} px`);
      await nameField.press('Enter');
      await page.getByRole('list', { name: words.savedViews }).getByRole('listitem').first().waitFor({ timeout: UI_TIMEOUT });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await shot(page, `console-${width}-saved-views${suffix}`);
      assert.ok(overflow <= 0, `the saved views panel at ${width} px (${lang}) is ${overflow} px wider than the screen`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the console switches to German and back on the same view, keeping the role', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${demo.url}/console?as=admin`);
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  await page.getByRole('combobox', { name: 'Status' }).selectOption('critical');
  await page.waitForFunction(() => location.hash.includes('critical'));
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
  await page.getByRole('tab', { name: 'Einstellungen' }).waitFor({ timeout: UI_TIMEOUT });
  const german = new URL(page.url());
  assert.deepEqual([german.searchParams.get('lang'), german.searchParams.get('as')], ['de', 'admin']);
  assert.match(german.hash, /critical/, 'the filtered view came along');
  assert.equal(await page.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current'), 'true');
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('tab', { name: 'Settings' }).waitFor({ timeout: UI_TIMEOUT });
  await page.close();
});

test('a saved view survives a reload, shows its filters again, and its copied link opens it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${demo.url}/console`);
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  await page.getByRole('combobox', { name: 'Status' }).selectOption('critical');
  await page.getByRole('button', { name: 'Saved views' }).click();
  await page.getByRole('textbox', { name: 'Name for the view on screen' }).fill('Critical devices');
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByRole('button', { name: 'Critical devices', exact: true }).waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'saved-views');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'saved-views-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.goto(`${demo.url}/console`);
  await page.getByRole('row').nth(2).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await page.getByRole('combobox', { name: 'Status' }).inputValue(), '');
  await page.getByRole('button', { name: 'Saved views' }).click();
  await page.getByRole('button', { name: 'Critical devices', exact: true }).click();
  await eventually(async () => assert.equal(await page.getByRole('combobox', { name: 'Status' }).inputValue(), 'critical'));
  await eventually(async () => assert.match(page.url(), /status=critical/));

  await page.getByRole('button', { name: 'Copy link Critical devices' }).click();
  const link = await eventually(async () => {
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^http.*#.*status=critical/);
    return copied;
  });
  const shared = await context.newPage();
  await shared.goto(link);
  const [critical] = (await api.get('/devices?status=critical&sort=score&limit=1')).items;
  await deviceRow(shared, critical!.name).first().waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await shared.getByRole('combobox', { name: 'Status' }).inputValue(), 'critical');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a device detail opens from its row', async () => {
  const { page, errors } = await openPage('/console');
  const [device] = (await api.get('/devices?status=critical&sort=score&limit=1')).items;
  assert.ok(device, 'the seeded fleet has a critical device');
  const row = deviceRow(page, device.name).first();
  await row.click();
  const dialog = page.getByRole('dialog', { name: new RegExp(device.name) });
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  await dialog.getByText(/recency/i).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'device-detail');
  assert.deepEqual(errors, []);
  await page.close();
});

test('acknowledging an alert in the console records it in the API', async () => {
  const { page, errors } = await openPage('/console');
  await page.getByRole('tab', { name: /Alerts/ }).click();
  const acknowledge = page.getByRole('button', { name: /^Acknowledge…/ }).first();
  await acknowledge.waitFor({ timeout: UI_TIMEOUT });
  const before = (await api.get('/alerts?state=acknowledged&limit=500')).items.length;
  await acknowledge.click();
  // The note form: an optional note, then Acknowledge.
  await page.getByRole('textbox', { name: /Note/ }).first().fill('On it: replacing the disk');
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await eventually(async () => {
    const acknowledged = (await api.get('/alerts?state=acknowledged&limit=500')).items;
    assert.equal(acknowledged.length, before + 1);
    assert.ok(acknowledged.some((alert) => alert.acknowledgementNote === 'On it: replacing the disk'));
  });
  await page.getByText(/Acknowledged by .* On it: replacing the disk/).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'alert-acknowledged');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a job posted through the API changes its row without a reload', async () => {
  const { page, errors } = await openPage('/console');
  const [device] = (await api.get('/devices?status=critical&sort=score&limit=50')).items.filter(
    // SaaS devices failing for an expired consent stay critical after one success.
    (d) => d.consecutiveFailures >= 3 && d.kind !== 'saas',
  );
  assert.ok(device, 'the seeded fleet has a device failing now');
  const row = deviceRow(page, device.name).first();
  await row.getByText('Critical').waitFor({ timeout: UI_TIMEOUT });
  await page.evaluate(() => ((window as unknown as { marker: boolean }).marker = true));

  const endedAt = Date.now() - 1_000;
  await api.post('/events', { type: 'job', id: `e2e-${endedAt}`, deviceId: device.id, status: 'success', startedAt: new Date(endedAt - 600_000).toISOString(), endedAt: new Date(endedAt).toISOString() });

  // Three failures this week, then a success: no longer critical, still a warning.
  await row.getByText('Warning').waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker), true, 'the page was not reloaded');
  await shot(page, 'live-update');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the customer portal shows only its own client', async () => {
  const { page, errors } = await openPage('/portal?client=contoso-dental');
  const clients = (await api.get('/clients?limit=500')).items;
  const contoso = clients.find((c) => c.id === 'contoso-dental')!;
  const devices = (await api.get('/devices?client=contoso-dental&limit=500')).items;
  const widgets = page.locator('backup-health-provider');
  for (const device of devices) await widgets.getByText(device.name).first().waitFor({ timeout: UI_TIMEOUT });
  assert.ok((await widgets.getByText(contoso.name).count()) > 0);
  for (const other of clients.filter((c) => c.id !== contoso.id)) assert.equal(await widgets.getByText(other.name).count(), 0, `${other.name} leaked`);
  // The page's token is scoped to the client: the API itself refuses the others.
  const token = await page.locator('backup-health-provider').getAttribute('token');
  const seen = await createApiClient(`${demo.url}/api/v1`, token!).get('/clients');
  assert.deepEqual(
    seen.items.map((c) => c.id),
    ['contoso-dental'],
  );
  await shot(page, 'portal');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the stand-in pages show the tickets, pages and weekly e-mail the BFF sent', async () => {
  const { page, errors } = await openPage('/standins/psa');
  await page.getByRole('cell', { name: /Backup Failure|DR Test Failure|Backup Overdue|SaaS Connection Error/ }).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'standin-psa');

  await page.goto(`${demo.url}/standins/inbox`);
  await page.getByRole('button', { name: 'Send the weekly report now' }).click();
  await page.getByRole('button', { name: /weekly/i }).filter({ hasText: /summary/i }).first().waitFor({ timeout: UI_TIMEOUT });
  const frame = page.frameLocator('iframe[data-inbox-frame]');
  await frame.getByText(/devices/i).first().waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'standin-inbox');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the overview page runs a round of the simulator on request', async () => {
  const { page, errors } = await openPage('/');
  await page.getByRole('button', { name: 'Simulate a round of jobs' }).click();
  await page.getByText(/^Posted \d+ events\.$/).waitFor({ timeout: UI_TIMEOUT });
  assert.ok(demo.context.simulator!.stats.jobs > 0);
  await shot(page, 'overview');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every demo page answers with a content security policy that allows only its own scripts', async () => {
  for (const path of ['/', '/console', '/console?as=admin', '/psa', '/portal', '/theming', '/standins/psa', '/standins/oncall', '/standins/inbox']) {
    const response = await fetch(`${demo.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
    await response.text();
  }
});

test('the status endpoint reports the seeded fleet as ready', async () => {
  const status = (await (await fetch(`${demo.url}/demo/status`)).json()) as { phase: string; percent: number; devices: number };
  assert.equal(status.phase, 'ready');
  assert.equal(status.percent, 100);
  assert.ok(status.devices >= 60);
});

test('demo actions refuse a request without the X-Demo-Action header', async () => {
  const response = await fetch(`${demo.url}/demo/actions/send-weekly`, { method: 'POST' });
  assert.equal(response.status, 403);
});

test('a client name is escaped where the portal page prints it', async () => {
  const name = '<img src=x onerror="alert(1)"> & Sons';
  await api.put('/clients/e2e-escaping', { name });
  const html = await (await fetch(`${demo.url}/portal?client=e2e-escaping`)).text();
  assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Sons'));
  assert.ok(!html.includes('<img src=x'));
});


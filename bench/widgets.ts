/**
 * widgets: time to first rows of <backup-health-table> in headless Chromium over a
 * tenant of 10k devices (the page is served from the BFF's origin: the bench routes
 * one URL of it to a small HTML page, the module and the API are the BFF's), and the
 * gzip size of the widget module without the lazily loaded chart.js chunk.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FleetInfo } from './fleet.ts';

export const WIDGETS_DIR = 'dist/widgets';
export const ENTRY = 'backup-health.js';

export interface BundleSize {
  entry: string;
  /** The entry plus every chunk it imports statically (what loads before any chart). */
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  /** Lazily imported chunks (chart.js and the like), not counted. */
  lazy: { file: string; gzipBytes: number }[];
}

export interface WidgetTiming {
  devices: number;
  runs: number;
  /** Element created (module loaded and defined) → first device row in its shadow DOM; median of the runs. */
  firstRowMs: number;
  /** → the frame after the first row (painted). */
  firstRowPaintedMs: number;
  /** Navigation start → first row (includes loading the module). */
  fromNavigationMs: number;
  /** Element created → every page loaded (aria-rowcount set), when it happened within the wait. */
  allRowsMs: number | null;
  runsMs: number[];
  rowsRendered: number;
  /** Fetches finished before the first row (last run), ms relative to element creation: the critical path. */
  criticalPath: { url: string; startMs: number; endMs: number }[];
  /** The widget's first API request (the plain baseline page makes the same one). */
  firstRequest: string | null;
  /** Plain page: fetch the same first page and render it with DOM calls; median. */
  baselineMs: number;
  baselinePaintedMs: number;
  ratio: number;
}

/** Static and dynamic imports of a built chunk (relative specifiers). */
function importsOf(source: string): { staticImports: string[]; dynamicImports: string[] } {
  const staticImports = [...source.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["'`](\.\/[^"'`]+)["'`]/g)].map((m) => m[1]!);
  const dynamicImports = [...source.matchAll(/import\(\s*["'`](\.\/[^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);
  return { staticImports, dynamicImports };
}

export function bundleSize(dir = WIDGETS_DIR): BundleSize | null {
  const entryPath = join(dir, ENTRY);
  if (!existsSync(entryPath)) return null;
  const seen = new Set<string>();
  const lazy = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { staticImports, dynamicImports } = importsOf(readFileSync(join(dir, file), 'utf8'));
    for (const spec of staticImports) visit(spec.replace(/^\.\//, ''));
    for (const spec of dynamicImports) lazy.add(spec.replace(/^\.\//, ''));
  };
  visit(ENTRY);
  const files = [...seen];
  const gz = (file: string) => gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
  const lazyFiles = [...lazy].filter((file) => !seen.has(file) && existsSync(join(dir, file)));
  return {
    entry: ENTRY,
    files,
    rawBytes: files.reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0),
    gzipBytes: files.reduce((sum, file) => sum + gz(file), 0),
    lazy: lazyFiles.map((file) => ({ file, gzipBytes: gz(file) })),
  };
}

/** Every .js file in the widgets dist folder (for the report). */
export function distFiles(dir = WIDGETS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')) : [];
}

const PAGE = (token: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title>
<style>body { margin: 0; font: 14px system-ui; } backup-health-table { display: block; }</style></head>
<body>
<script type="module">
  const result = (window.__bench = { phase: 'loading' });
  try {
    await import('/widgets/${ENTRY}');
    await customElements.whenDefined('backup-health-table');
    result.moduleLoadedAt = performance.now();
    const element = document.createElement('backup-health-table');
    element.setAttribute('api-base', location.origin);
    element.setAttribute('token', ${JSON.stringify(token)});
    performance.mark('bh-table-created');
    const created = performance.now();
    result.createdAt = created;
    document.body.append(element);
    const rowSelector = '[role="row"][data-index]';
    const found = () => {
      if (result.firstRowAt !== undefined) return;
      const row = element.shadowRoot && element.shadowRoot.querySelector(rowSelector);
      if (!row) return;
      performance.mark('bh-table-first-row');
      result.firstRowAt = performance.now();
      result.firstRowMs = result.firstRowAt - created;
      // What the page had fetched by then, relative to element creation: the critical path to the first row.
      result.resources = performance.getEntriesByType('resource')
        .filter((e) => e.responseEnd > 0 && e.responseEnd <= result.firstRowAt)
        .map((e) => ({ url: e.name.replace(location.origin, ''), startMs: Math.round(e.startTime - created), endMs: Math.round(e.responseEnd - created) }));
      requestAnimationFrame(() => {
        result.paintedMs = performance.now() - created;
        result.phase = 'first-row';
      });
    };
    const watch = () => {
      if (!element.shadowRoot) return requestAnimationFrame(watch);
      new MutationObserver(found).observe(element.shadowRoot, { childList: true, subtree: true });
      found();
    };
    watch();
    const complete = () => {
      const table = element.shadowRoot && element.shadowRoot.querySelector('[role="table"]');
      if (table && table.getAttribute('aria-rowcount') !== '-1' && result.firstRowAt !== undefined) {
        result.allRowsMs = performance.now() - created;
        result.rowsRendered = element.shadowRoot.querySelectorAll(rowSelector).length;
        return;
      }
      setTimeout(complete, 20);
    };
    complete();
  } catch (error) {
    result.phase = 'error';
    result.error = String(error && error.stack || error);
  }
</script>
</body></html>`;

/**
 * The same-run baseline: a plain page (no framework) that fetches the widget's first
 * request and renders its rows into a table with DOM calls.
 */
const BASELINE_PAGE = (token: string, path: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>baseline</title></head>
<body>
<script type="module">
  const result = (window.__bench = { phase: 'loading' });
  const created = performance.now();
  result.createdAt = created;
  try {
    const response = await fetch(${JSON.stringify(path)}, { headers: { authorization: 'Bearer ' + ${JSON.stringify(token)} } });
    const { items } = await response.json();
    const table = document.createElement('table');
    for (const d of items) {
      const tr = table.insertRow();
      for (const value of [d.status, d.name, d.client.name, d.kind, d.score, d.lastSuccessAt, d.policy.name, d.storage.usedBytes]) tr.insertCell().textContent = String(value);
    }
    document.body.append(table);
    result.firstRowAt = performance.now();
    result.firstRowMs = result.firstRowAt - created;
    requestAnimationFrame(() => {
      result.paintedMs = performance.now() - created;
      result.phase = 'first-row';
    });
  } catch (error) {
    result.phase = 'error';
    result.error = String(error && error.stack || error);
  }
</script>
</body></html>`;

export async function benchWidget(fleet: FleetInfo, bffUrl: string, options: { runs: number; log?: (message: string) => void }): Promise<WidgetTiming> {
  const log = options.log ?? (() => undefined);
  const { chromium } = await import('playwright-core');
  // A read-only embed token for the widget tenant, minted through the API.
  const minted = await fetch(`${bffUrl}/api/v1/embed-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fleet.widget.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scopes: ['read'], ttlSeconds: 3600 }),
  });
  if (minted.status !== 201) throw new Error(`POST /embed-tokens answered ${minted.status}: ${await minted.text()}`);
  const { token } = (await minted.json()) as { token: string };

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  type PageResult = {
    phase: string; error?: string; firstRowMs: number; paintedMs: number; firstRowAt: number; allRowsMs?: number; rowsRendered?: number;
    resources?: { url: string; startMs: number; endMs: number }[];
  };
  const widget: PageResult[] = [];
  const plain: PageResult[] = [];
  let firstRequest: string | null = null;
  const open = async (name: string, body: string, waitAll: boolean): Promise<PageResult> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const pageUrl = `${bffUrl}/__bench/${name}.html`;
      await page.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
      page.on('request', (request) => {
        if (firstRequest === null && request.url().includes('/api/v1/devices')) firstRequest = request.url().slice(bffUrl.length);
      });
      await page.goto(pageUrl);
      await page.waitForFunction(() => {
        const r = (window as unknown as { __bench?: { phase: string } }).__bench;
        return r && (r.phase === 'first-row' || r.phase === 'error');
      }, undefined, { timeout: 30_000 });
      // Let the background pages finish (for allRowsMs); not part of the first-row figure.
      if (waitAll) await page.waitForFunction(() => (window as unknown as { __bench?: { allRowsMs?: number } }).__bench?.allRowsMs !== undefined, undefined, { timeout: 20_000 }).catch(() => undefined);
      const result = (await page.evaluate(() => (window as unknown as { __bench: unknown }).__bench)) as PageResult;
      if (result.phase === 'error') throw new Error(`${name} page failed: ${result.error}`);
      return result;
    } finally {
      await context.close();
    }
  };
  try {
    // One warm-up of each (browser caches, the BFF's statement cache), then alternate.
    await open('widget-warmup', PAGE(token), true);
    const baselinePath = firstRequest ?? '/api/v1/devices?limit=50&sort=score';
    await open('baseline-warmup', BASELINE_PAGE(token, baselinePath), false);
    for (let run = 1; run <= options.runs; run++) {
      const w = await open(`widget-${run}`, PAGE(token), true);
      widget.push(w);
      const b = await open(`baseline-${run}`, BASELINE_PAGE(token, baselinePath), false);
      plain.push(b);
      log(`widget run ${run}: first row ${w.firstRowMs.toFixed(1)} ms after creation (${w.firstRowAt.toFixed(0)} ms after navigation); plain page ${b.firstRowMs.toFixed(1)} ms`);
    }
  } finally {
    await browser.close();
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN;
  };
  const widgetMs = median(widget.map((r) => r.firstRowMs));
  const baselineMs = median(plain.map((r) => r.firstRowMs));
  const all = widget.filter((r) => r.allRowsMs !== undefined).map((r) => r.allRowsMs!);
  return {
    devices: fleet.widget.devices,
    runs: widget.length,
    firstRequest,
    firstRowMs: widgetMs,
    firstRowPaintedMs: median(widget.map((r) => r.paintedMs)),
    fromNavigationMs: median(widget.map((r) => r.firstRowAt)),
    allRowsMs: all.length ? median(all) : null,
    runsMs: widget.map((r) => r.firstRowMs),
    rowsRendered: widget.at(-1)?.rowsRendered ?? 0,
    criticalPath: widget.at(-1)?.resources ?? [],
    baselineMs,
    baselinePaintedMs: median(plain.map((r) => r.paintedMs)),
    ratio: widgetMs / baselineMs,
  };
}

/** The demo's HTML pages. Widget pages mint their embed tokens at page load. */
import { readdir } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import type { ClientItem, DeviceItem, Page } from '../../core/api.ts';
import type { DemoContext } from '../context.ts';
import { mintPageTokens } from '../tokens.ts';
import { consolePage } from './console-page.ts';
import { html, type SafeHtml } from './html.ts';
import { indexPage } from './index-page.ts';
import { page } from './layout.ts';
import { portalPage } from './portal-page.ts';
import { psaPage } from './psa-page.ts';
import { inboxStandInPage, onCallStandInPage, psaStandInPage } from './standin-pages.ts';
import { themingPage } from './theming-page.ts';

/**
 * Same-origin scripts only; inline styles stay allowed because mail HTML (in the
 * sandboxed srcdoc iframe, which inherits this policy) and the widgets' adopted
 * styles rely on them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The widget module loads some elements on demand (the device detail panel); a page
 * that shows one on its own loads that chunk itself. Its name carries a content hash.
 */
async function lazyWidgetChunk(context: DemoContext, name: string): Promise<string[]> {
  const directory = context.bff?.deps.config.widgetsDir;
  if (!directory) return [];
  const files = await readdir(directory).catch(() => [] as string[]);
  const chunk = files.find((file) => file.startsWith(`${name}-`) && file.endsWith('.js'));
  return chunk ? [`/widgets/${chunk}`] : [];
}

export function pageRoutes(context: DemoContext) {
  const send = (c: Context, markup: SafeHtml, status: 200 | 404 | 503 = 200) =>
    c.html(markup.markup, status, { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  /** Widget pages need the BFF; while it starts, a page that reloads itself. */
  const starting = (c: Context) =>
    send(
      c,
      page({ title: 'Starting', path: c.req.path, body: html`<h1>The demo is starting…</h1><p>This page reloads when it is ready.</p>`, scripts: [] }),
      503,
    );
  const origin = (c: Context) => new URL(c.req.url).origin;

  const consoleHandler = async (c: Context, deviceId?: string) => {
    if (!context.bff) return starting(c);
    const admin = c.req.query('as') === 'admin';
    const lang = c.req.query('lang') === 'de' ? 'de' : undefined;
    let device: { id: string; name: string } | null = null;
    if (deviceId) {
      try {
        const found = await context.api.get(`/devices/${encodeURIComponent(deviceId)}`);
        device = { id: found.id, name: found.name };
      } catch {
        return send(c, page({ title: 'Device not found', path: '/console', body: html`<h1>No device “${deviceId}”</h1><p><a href="/console">Open the console</a></p>` }), 404);
      }
    }
    const scripts = device ? await lazyWidgetChunk(context, 'backup-health-device-detail') : [];
    return send(c, consolePage({ apiBase: origin(c), tokens: await mintPageTokens(context, admin ? 'console-admin' : 'console'), admin, device, scripts, lang }));
  };

  return new Hono()
    .get('/', (c) => send(c, indexPage(context, origin(c))))
    .get('/console', (c) => consoleHandler(c))
    .get('/console/devices/:id', (c) => consoleHandler(c, c.req.param('id')))
    .get('/psa', async (c) => {
      if (!context.bff) return starting(c);
      return send(c, psaPage({ apiBase: origin(c), tokens: await mintPageTokens(context, 'psa'), tickets: context.standIns?.tickets() ?? [] }));
    })
    .get('/portal', async (c) => {
      if (!context.bff) return starting(c);
      const clients = (await context.api.get('/clients?limit=500')).items.map(({ id, name }) => ({ id, name }));
      const wanted = c.req.query('client') ?? 'contoso-dental';
      const client = clients.find((x) => x.id === wanted) ?? clients[0];
      if (!client) return send(c, page({ title: 'Customer portal', path: '/portal', body: html`<h1>Customer portal</h1><p>No clients yet: the fleet is still being seeded.</p>` }));
      return send(c, portalPage({ apiBase: origin(c), tokens: await mintPageTokens(context, 'portal', client.id), client, clients }));
    })
    .get('/theming', async (c) => {
      if (!context.bff) return starting(c);
      const clients = (await context.api.get('/clients?limit=1')).items;
      return send(c, themingPage({ apiBase: origin(c), tokens: await mintPageTokens(context, 'theming'), sampleClientId: clients[0]?.id ?? null }));
    })
    .get('/standins/psa', (c) => send(c, psaStandInPage(context)))
    .get('/standins/oncall', (c) => send(c, onCallStandInPage(context)))
    .get('/standins/inbox', (c) => send(c, inboxStandInPage(context)));
}

/**
 * `/portal?client=…`: the MSP's customer portal as one client sees it — its health
 * badge and SLA compliance, with an embed token restricted to that client (the API
 * answers 404 for anything else, whatever the page asks for).
 */
import type { Ref } from '../../core/api.ts';
import type { PageTokens } from '../tokens.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { provider } from './widgets.ts';

export function portalPage(options: { apiBase: string; tokens: PageTokens; client: Ref; clients: Ref[] }) {
  const { client } = options;
  const body = html`
<div class="portal">
  <div class="portal-top">
    <span class="portal-brand"><span aria-hidden="true">✦</span> Bluebird Managed IT</span>
    <span class="portal-who">Customer portal · ${client.name}</span>
  </div>
  <div class="portal-body">
    <h1>Welcome back, ${client.name}</h1>
    <p class="muted">Your backups as your IT provider monitors them. Questions? Open a request from the Support tab.</p>
    ${provider(
      { apiBase: options.apiBase, tokens: options.tokens, kind: 'portal', clientId: client.id, className: 'portal-widgets' },
      html`<div class="portal-grid">
  <section class="portal-card" aria-labelledby="portal-badge"><h2 id="portal-badge">Backup health</h2><backup-health-badge client="${client.id}"></backup-health-badge></section>
  <section class="portal-card portal-card--wide" aria-labelledby="portal-compliance"><h2 id="portal-compliance">SLA compliance</h2><backup-health-compliance client="${client.id}"></backup-health-compliance></section>
</div>`,
    )}
  </div>
  <form class="portal-switch" method="get" action="/portal">
    <label>Demo: view the portal as <select name="client">
      ${options.clients.map((c) => html`<option value="${c.id}"${c.id === client.id ? html` selected` : ''}>${c.name}</option>`)}
    </select></label>
    <button type="submit">Switch</button>
    <span class="muted">Each client gets its own client-scoped read token.</span>
  </form>
</div>`;
  return page({ title: `Customer portal — ${client.name}`, path: '/portal', body, widgets: true, scripts: ['/demo/assets/tokens.js'] });
}

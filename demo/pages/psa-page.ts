/**
 * `/psa`: the widgets embedded in a mock PSA ("The One PSA") with its own top bar,
 * navigation and a ticket rail fed by the PSA stand-in — the way an MSP sees backup
 * health without leaving its service desk.
 */
import type { TicketView } from '../standins.ts';
import type { PageTokens } from '../tokens.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { provider } from './widgets.ts';

const PSA_NAV = ['Home', 'Service desk', 'Tickets', 'Clients', 'Contracts', 'Projects', 'Backups', 'Billing', 'Reports', 'Admin'];

export function psaPage(options: { apiBase: string; tokens: PageTokens; tickets: TicketView[] }) {
  const openTickets = options.tickets.filter((t) => t.status !== 'resolved').length;
  const body = html`
<div class="psa">
  <div class="psa-top">
    <span class="psa-logo" aria-hidden="true">▲</span><span class="psa-name">The One PSA</span>
    <span class="psa-search" aria-hidden="true">Search tickets, clients, devices…</span>
    <span class="psa-user"><span class="psa-avatar" aria-hidden="true">JD</span> Jamie Diaz · Service desk</span>
  </div>
  <div class="psa-body">
    <nav class="psa-nav" aria-label="PSA">
      <ul>
        ${PSA_NAV.map(
          (item) =>
            html`<li><a href="${item === 'Backups' ? '/psa' : item === 'Tickets' ? '/standins/psa' : '#'}"${item === 'Backups' ? html` aria-current="page"` : ''}>${item}${
              item === 'Tickets' ? html` <span class="psa-count" data-psa-open-count>${openTickets}</span>` : ''
            }</a></li>`,
        )}
      </ul>
    </nav>
    <section class="psa-content" aria-labelledby="psa-title">
      <p class="psa-crumbs">Home › Backups › Health</p>
      <h1 id="psa-title">Backup health</h1>
      ${provider(
        { apiBase: options.apiBase, tokens: options.tokens, kind: 'psa', className: 'psa-widgets' },
        html`<div class="psa-grid">
  <section class="psa-card psa-card--wide" aria-labelledby="psa-devices"><h2 id="psa-devices">Devices</h2><backup-health-table></backup-health-table></section>
  <section class="psa-card" aria-labelledby="psa-clients"><h2 id="psa-clients">Clients</h2><client-compliance></client-compliance></section>
  <section class="psa-card" aria-labelledby="psa-alerts"><h2 id="psa-alerts">Open alerts</h2><alert-feed limit="6"></alert-feed></section>
</div>`,
      )}
    </section>
    <aside class="psa-rail" aria-labelledby="psa-rail-title">
      <h2 id="psa-rail-title">Backup tickets</h2>
      <ol class="psa-tickets" data-standin-feed="psa" data-standin-view="rail" data-standin-limit="8" aria-live="polite"></ol>
      <p><a href="/standins/psa">All tickets received by the PSA →</a></p>
    </aside>
  </div>
</div>`;
  return page({ title: 'Embedded in a PSA', path: '/psa', body, widgets: true, bleed: true, bodyClass: 'psa-page', scripts: ['/demo/assets/tokens.js', '/demo/assets/standins.js'] });
}

/** `/`: what the demo is, links to every page, buttons, and how it is wired. */
import type { DemoContext } from '../context.ts';
import { html } from './html.ts';
import { DEMO_PAGES, page } from './layout.ts';

export function indexPage(context: DemoContext, origin: string) {
  const { status, standIns, businessHours } = context;
  const body = html`
<section class="hero">
  <h1>Backup Health <span class="muted">— live demo</span></h1>
  <p class="lead">Backup health monitoring for MSPs: an embeddable widget kit (Lit web components) and the
  backend-for-frontend it talks to (Hono over libSQL). See at a glance which devices are healthy, which have
  recent failures and which are overdue; prove SLA compliance per client; open PSA tickets and page on-call
  before a client loses data.</p>
  <p>This process runs the real BFF on an embedded libSQL file, seeded through the public API with
  <strong data-status="devices">${status.devices || '…'}</strong> devices of ${status.clients || 12} client companies and
  30 days of history, on policies of every schedule kind (Mon–Fri 22:00 workstations, nightly servers, a Sunday
  NAS, a last-day-of-month archive, cron SaaS, laptops off at weekends) in each client's timezone. A simulator
  runs each device at its slots in real time, and stand-ins for The One PSA, an
  On-Call service and an SMTP inbox receive what the BFF sends — everything on loopback.</p>
  <p class="status-line" data-status-line>${status.phase === 'ready' ? 'Fleet ready.' : status.message}</p>
</section>

<section aria-labelledby="pages-heading">
  <h2 id="pages-heading">Pages</h2>
  <ul class="cards">
    ${DEMO_PAGES.map(
      (link) => html`<li class="card"><a href="${link.path}"><strong>${link.title}</strong></a><p>${link.description}</p></li>`,
    )}
  </ul>
</section>

<section aria-labelledby="try-heading">
  <h2 id="try-heading">Make something happen</h2>
  <div class="actions">
    <button type="button" data-action="simulate">Simulate a round of jobs</button>
    <button type="button" data-action="sweep">Run an evaluation sweep now</button>
    <button type="button" data-action="send-weekly">Send the weekly report now</button>
    <output data-action-output aria-live="polite"></output>
  </div>
  <p class="muted">"Simulate a round" brings the next due runs forward. The simulator also runs by itself (<span data-status="simulator">…</span>). The sweep runs every
  ${context.sweepIntervalSeconds} s for time-driven alerts (missed schedule, overdue).</p>
</section>

<section aria-labelledby="wiring-heading">
  <h2 id="wiring-heading">How it is wired</h2>
  <dl class="facts">
    <dt>HTTP API</dt><dd><code>${origin}/api/v1</code> — <a href="/api/v1/openapi.json">OpenAPI document</a> (the admin key is printed in the terminal)</dd>
    <dt>Widget module</dt><dd><code>${origin}/widgets/backup-health.js</code></dd>
    <dt>Database</dt><dd><code>${context.databaseUrl}</code> (<code>npm start -- --reset</code> reseeds)</dd>
    <dt>PSA stand-in</dt><dd><code>${standIns?.psaUrl ?? 'starting…'}</code> — <a href="/standins/psa">tickets received</a></dd>
    <dt>On-Call stand-in</dt><dd><code>${standIns?.onCallUrl ?? 'starting…'}</code> — <a href="/standins/oncall">pages received</a>${
      businessHours ? html`; business hours Mon–Fri ${businessHours.start}–${businessHours.end} ${businessHours.timezone}, so pages fire now` : ''
    }</dd>
    <dt>SMTP</dt><dd><code>${standIns?.smtpUrl ?? 'starting…'}</code> — <a href="/standins/inbox">inbox</a></dd>
  </dl>
</section>

<section aria-labelledby="embed-heading">
  <h2 id="embed-heading">Embed it in three lines</h2>
  <pre class="code"><code>${`<script type="module" src="${origin}/widgets/backup-health.js"></script>
<backup-health-provider api-base="${origin}" token="<embed token from POST /api/v1/embed-tokens>">
  <backup-health-dashboard></backup-health-dashboard>
</backup-health-provider>`}</code></pre>
</section>`;
  return page({ title: 'Overview', path: '/', body, scripts: ['/demo/assets/actions.js'] });
}

/**
 * `/standins/psa`, `/standins/oncall`, `/standins/inbox`: what the stand-ins received,
 * refreshed live by /demo/assets/standins.js (which renders with textContent only).
 * The inbox shows each mail's HTML in a sandboxed iframe (no scripts, opaque origin).
 */
import type { DemoContext } from '../context.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

const scripts = ['/demo/assets/standins.js', '/demo/assets/actions.js'];

export function psaStandInPage(context: DemoContext) {
  const body = html`
<h1>PSA stand-in: tickets received</h1>
<p class="lead">A loopback stand-in of The One PSA at <code>${context.standIns?.psaUrl ?? '…'}</code>. The BFF creates a
ticket per alert that the PSA mapping covers (<code>POST /tickets</code> with <code>X-Integration-Key</code> and an
<code>Idempotency-Key</code>) and marks it resolved (<code>PATCH /tickets/:id</code>) when the alert clears. Notes
(<code>POST /tickets/:id/notes</code>) and reopenings (<code>PATCH /tickets/:id</code> with <code>status: "open"</code>)
appear in each ticket's history.</p>
<p class="muted">Failing devices recover in the simulator: watch tickets turn resolved. Refreshes every 2 s.</p>
<table class="data">
  <caption class="visually-hidden">Tickets</caption>
  <thead><tr><th scope="col">Ticket</th><th scope="col">Priority</th><th scope="col">Type</th><th scope="col">Summary</th><th scope="col">Client</th><th scope="col">Device</th><th scope="col">Last good backup</th><th scope="col">Opened</th><th scope="col">Status</th></tr></thead>
  <tbody data-standin-feed="psa" data-standin-view="table"><tr><td colspan="9" class="muted">Loading…</td></tr></tbody>
</table>`;
  return page({ title: 'PSA tickets', path: '/standins/psa', body, scripts });
}

export function onCallStandInPage(context: DemoContext) {
  const hours = context.businessHours;
  const body = html`
<h1>On-Call stand-in: pages received</h1>
<p class="lead">A loopback stand-in of the On-Call service at <code>${context.standIns?.onCallUrl ?? '…'}</code>. The BFF
pages (<code>POST /pages</code>, <code>action: "trigger"</code>) when a server has been in SLA breach for more than 6 h
outside business hours${hours ? html` (Mon–Fri ${hours.start}–${hours.end} ${hours.timezone} in this demo)` : ''}, once
per breach, and sends <code>resolve</code> with the same dedup key when it backs up again. A trigger with the dedup key
of an incident still triggered is a re-trigger (a reminder): it pages again without opening a second incident.</p>
<table class="data">
  <caption class="visually-hidden">Pages</caption>
  <thead><tr><th scope="col">Received</th><th scope="col">Action</th><th scope="col">Severity</th><th scope="col">Summary</th><th scope="col">Client</th><th scope="col">Device</th><th scope="col">Breach</th><th scope="col">Escalation policy</th><th scope="col">Dedup key</th></tr></thead>
  <tbody data-standin-feed="oncall" data-standin-view="table"><tr><td colspan="9" class="muted">Loading…</td></tr></tbody>
</table>`;
  return page({ title: 'On-Call pages', path: '/standins/oncall', body, scripts });
}

export function inboxStandInPage(context: DemoContext) {
  const body = html`
<h1>SMTP inbox: mail received</h1>
<p class="lead">A loopback SMTP server at <code>${context.standIns?.smtpUrl ?? '…'}</code> receives what the BFF sends
with nodemailer: the weekly health summary (HTML with a plain-text alternative) goes to the report recipients every
Monday at 08:00 — or now:</p>
<div class="actions">
  <button type="button" data-action="send-weekly">Send the weekly report now</button>
  <output data-action-output aria-live="polite"></output>
</div>
<div class="inbox">
  <ul class="inbox-list" data-standin-feed="inbox" data-standin-view="list" aria-label="Messages"><li class="muted">Loading…</li></ul>
  <section class="inbox-view" aria-label="Message">
    <div class="inbox-meta" data-inbox-meta><p class="muted">Choose a message.</p></div>
    <div class="inbox-tabs" role="group" aria-label="Part">
      <button type="button" data-inbox-part="html" aria-pressed="true">HTML</button>
      <button type="button" data-inbox-part="text" aria-pressed="false">Plain text</button>
    </div>
    <iframe class="inbox-frame" title="Message (HTML)" sandbox="" data-inbox-frame></iframe>
    <pre class="inbox-text" data-inbox-text hidden></pre>
  </section>
</div>`;
  return page({ title: 'Inbox', path: '/standins/inbox', body, scripts });
}

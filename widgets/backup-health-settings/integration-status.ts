import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { IntegrationStatus } from '../../core/api.ts';
import { formatCount, renderTime } from '../shared/format.ts';
import { renderTone } from '../shared/status.ts';

/** Delivery state of an outbound integration: last success, last error, queue. */
export function renderIntegrationStatus(status: IntegrationStatus | undefined, now: number, timeZone?: string): TemplateResult {
  if (!status) return html`<p class="muted">${msg('No delivery status yet.')}</p>`;
  return html`<dl class="integration-status" part="integration-status">
    <div><dt>${msg('State')}</dt><dd>${renderDeliveryState(status)}</dd></div>
    <div><dt>${msg('Last success')}</dt><dd>${renderTime(status.lastSuccessAt, now, timeZone, msg('Never'))}</dd></div>
    <div>
      <dt>${msg('Last error')}</dt>
      <dd>${status.lastError ? html`${renderTime(status.lastError.at, now, timeZone)} — ${status.lastError.message}` : html`<span class="muted">${msg('None')}</span>`}</dd>
    </div>
    <div><dt>${msg('Queued')}</dt><dd>${formatCount(status.queueDepth)}${status.failed ? html`, <span class="status" data-tone="critical">${msg(str`${formatCount(status.failed)} failed`)}</span>` : nothing}</dd></div>
  </dl>`;
}

/** Failing when the newest outcome is an error; idle before the first delivery. */
function renderDeliveryState(status: IntegrationStatus): TemplateResult {
  const { lastSuccessAt, lastError } = status;
  if (!lastSuccessAt && !lastError) return renderTone('unknown', msg('Nothing sent yet'));
  const failing = lastError !== null && (lastSuccessAt === null || Date.parse(lastError.at) > Date.parse(lastSuccessAt));
  return failing ? renderTone('critical', msg('Failing')) : renderTone('healthy', msg('Delivering'));
}

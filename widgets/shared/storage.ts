import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { DeviceItem } from '../../core/api.ts';
import { formatBytes, formatPercent, orDash } from './format.ts';

/** Used vs quota as a bar plus words ("12 GB of 50 GB (24 %)"); the bar is decoration. */
export function renderStorage(storage: DeviceItem['storage']): unknown {
  const { usedBytes, quotaBytes } = storage;
  if (usedBytes === null) return orDash(null);
  if (!quotaBytes || quotaBytes <= 0) return html`${formatBytes(usedBytes)} <span class="muted">· no quota</span>`;
  const percent = (usedBytes / quotaBytes) * 100;
  const tone = percent >= 95 ? 'critical' : percent >= 80 ? 'warning' : 'healthy';
  return html`<span class="storage" part="storage">
    <span class="storage-bar" aria-hidden="true" data-tone=${tone}><span style=${styleMap({ width: `${Math.min(100, percent)}%` })}></span></span>
    <span class="storage-text">${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)} (${formatPercent(Math.round(percent))})${percent >= 95 ? html` <span class="status" data-tone="critical">near full</span>` : nothing}</span>
  </span>`;
}

import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import type { DeviceItem } from '../../core/api.ts';
import { storageLevel, type StorageLevel } from '../../core/storage-level.ts';
import { formatBytes, formatPercent, orDash } from './format.ts';
import type { Tone } from './status.ts';

const LEVEL_TONES: Record<StorageLevel, Tone> = { ok: 'healthy', high: 'warning', full: 'critical' };

export interface StorageOptions {
  /**
   * Table cells: shows only "47% of 1 TB" (near full: in the critical tone); the full
   * words ("471 GB of 1 TB (47%), near full") stay in the tooltip and for screen readers.
   */
  compact?: boolean;
}

/** Used vs quota as a bar plus words ("12 GB of 50 GB (24 %)"); the bar is decoration. */
export function renderStorage(storage: DeviceItem['storage'], options: StorageOptions = {}): unknown {
  const { usedBytes, quotaBytes } = storage;
  if (usedBytes === null) return orDash(null);
  if (!quotaBytes || quotaBytes <= 0) return html`${formatBytes(usedBytes)} <span class="muted">· ${msg('no quota')}</span>`;
  const percent = (usedBytes / quotaBytes) * 100;
  const level = storageLevel(usedBytes / quotaBytes);
  // "Near full" is the storage alert's threshold: the words never disagree with the alert feed.
  const nearFull = level === 'full';
  const tone = LEVEL_TONES[level];
  const rounded = formatPercent(Math.round(percent));
  const full = msg(str`${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)} (${rounded})`);
  const nearFullWords = msg('near full');
  const bar = html`<span class="storage-bar" aria-hidden="true" data-tone=${tone}><span style=${styleMap({ width: `${Math.min(100, percent)}%` })}></span></span>`;
  if (options.compact) {
    return html`<span class="storage" part="storage" title=${nearFull ? `${full}, ${nearFullWords}` : full}>
      ${bar}
      <span class="storage-text"
        ><span aria-hidden="true" class=${nearFull ? 'status' : ''} data-tone=${nearFull ? 'critical' : nothing}>${msg(str`${rounded} of ${formatBytes(quotaBytes)}`)}</span
        ><span class="visually-hidden">${full}${nearFull ? `, ${nearFullWords}` : ''}</span></span
      >
    </span>`;
  }
  return html`<span class="storage" part="storage">
    ${bar}
    <span class="storage-text">${full}${nearFull ? html` <span class="status" data-tone="critical">${nearFullWords}</span>` : nothing}</span>
  </span>`;
}

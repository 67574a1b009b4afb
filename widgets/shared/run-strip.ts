/**
 * The 14-run strip (docs/schedules.md): one small cell per scheduled run, oldest first, like a
 * calendar of the last two weeks. Colour is never the only cue: every cell carries its
 * slot and result as text (tooltip and screen readers), and skipped or pending runs
 * are hollow. Kept tiny: it renders in the table, which is in the entry bundle.
 */
import { css, html } from 'lit';
import { msg } from '@lit/localize';
import type { DeviceListItem } from '../../core/api.ts';
import { formatDateTime } from './format.ts';
import { RUN_RESULT_LABELS } from './labels.ts';

const TONE = { success: 'healthy', warning: 'warning', failed: 'critical', missed: 'critical', skipped: 'unknown', pending: 'unknown' } as const;

/** The strip; each slot is stated in `timeZone` (the view's), labelled. */
export function renderRuns(runs: DeviceListItem['runs'] | undefined, timeZone?: string) {
  return runs?.length
    ? html`<ol class="runs" part="runs" aria-label=${msg('Last runs, oldest first')}>${runs.map((run) => {
        const label = `${formatDateTime(run.slot, timeZone)}: ${RUN_RESULT_LABELS[run.result] ?? run.result}`;
        return html`<li data-tone=${TONE[run.result]} data-run=${run.result} title=${label}><span class="visually-hidden">${label}</span></li>`;
      })}</ol>`
    : '';
}

export const runStripStyles = css`
  .runs {
    display: inline-flex;
    gap: 1px;
    margin: 0;
    padding: 0;
    list-style: none;
    vertical-align: middle;
  }
  .runs li {
    width: 0.45em;
    height: 0.9em;
    border: 1px solid var(--_tone);
    background: var(--_tone);
  }
  .runs [data-run='skipped'],
  .runs [data-run='pending'] {
    background: none;
  }
  .runs [data-run='missed'] {
    height: 0.35em;
    align-self: flex-end;
  }
`;

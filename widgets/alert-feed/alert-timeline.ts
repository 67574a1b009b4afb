import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ApiClient } from '../shared/api-client.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { renderError, renderLoading } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatDateTime, inViewTimeZone } from '../shared/format.ts';
import { SEVERITY_LABELS } from '../shared/labels.ts';
import { getAlert, type AlertHistoryEntry } from '../shared/acknowledge-api.ts';

export const HISTORY_ACTION_LABELS: Record<AlertHistoryEntry['action'], string> = {
  get opened() { return msg('Opened'); },
  get escalated() { return msg('Escalated'); },
  get acknowledged() { return msg('Acknowledged'); },
  get unacknowledged() { return msg('Unacknowledged'); },
  get resolved() { return msg('Resolved'); },
};

/**
 * An alert's history as a timeline (`GET /alerts/{id}`), loaded on first use when an
 * alert in `<alert-feed>` is expanded: an ordered list, oldest step first, each with its
 * time (a `<time>`), the action, who took it ("automatically" for the evaluator), the
 * severity then and the note. Loads again when `revision` (the alert's `updatedAt`)
 * changes, so a step taken while it is open appears. Dispatches `timeline-failed`
 * (detail: the error) so the feed can handle a 401.
 */
export class AlertTimeline extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      ol {
        margin: calc(var(--_space) * 0.5) 0 0;
        padding-inline-start: 1.2em;
        display: flex;
        flex-direction: column;
        gap: calc(var(--_space) * 0.5);
        border-inline-start: 2px solid var(--_border);
      }
      .action {
        font-weight: 600;
      }
      .note {
        display: block;
        white-space: pre-wrap;
      }
    `,
  ];

  @property({ attribute: false }) client?: ApiClient;
  @property({ attribute: 'alert-id' }) alertId = '';
  /** The feed's timezone: each step's time is stated in it, labelled. */
  @property({ attribute: false }) timeZone?: string;
  /** The alert's `updatedAt`: a change loads the history again. */
  @property() revision = '';

  @state() private entries?: AlertHistoryEntry[];
  @state() private error?: unknown;
  #controller?: AbortController;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('alertId') || changed.has('revision') || changed.has('client')) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  async #load(): Promise<void> {
    if (!this.client || !this.alertId) return;
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.error = undefined;
    try {
      const alert = await getAlert(this.client, this.alertId, controller.signal);
      if (!controller.signal.aborted) this.entries = alert.history ?? [];
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error instanceof ProblemError ? new Error(msg(str`The history could not be loaded: ${error.problem.title}`)) : error;
      this.dispatchEvent(new CustomEvent('timeline-failed', { detail: error }));
    }
  }

  override render(): unknown {
    if (this.error) return renderError(this.error, () => void this.#load());
    if (!this.entries) return renderLoading(msg('Loading history…'));
    if (this.entries.length === 0) return html`<p class="muted">${msg('No history recorded.')}</p>`;
    return html`<ol part="timeline" aria-label=${msg('History')}>
      ${this.entries.map((entry) => this.#renderEntry(entry))}
    </ol>`;
  }

  #renderEntry(entry: AlertHistoryEntry): TemplateResult {
    return html`<li part="timeline-entry" data-action=${entry.action}>
      <time datetime=${entry.at}>${formatDateTime(entry.at, this.timeZone)}</time> ·
      <span class="action">${HISTORY_ACTION_LABELS[entry.action] ?? entry.action}</span>
      <span class="by">${entry.by ? msg(str`by ${entry.by}`) : msg('automatically')}</span> ·
      <span class="severity">${SEVERITY_LABELS[entry.severity]}</span>
      ${entry.note ? html`<q class="note">${timelineNote(entry, this.timeZone)}</q>` : nothing}
    </li>`;
  }
}

/**
 * A step's note as shown: the product's own notes ("run due 2026-12-03 14:00 UTC missed")
 * restate their times in the view's zone, like the reasons above them; a person's note
 * stays as typed.
 */
export function timelineNote(entry: Pick<AlertHistoryEntry, 'by' | 'note'>, timeZone?: string): string {
  if (!entry.note) return '';
  return entry.by ? entry.note : inViewTimeZone(entry.note, timeZone);
}

AlertTimeline.define('bh-alert-timeline');

declare global {
  interface HTMLElementTagNameMap {
    'bh-alert-timeline': AlertTimeline;
  }
}

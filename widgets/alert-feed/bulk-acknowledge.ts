import { css, html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { AlertItem } from '../../core/api.ts';
import type { ApiClient } from '../shared/api-client.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { BhElement } from '../shared/base-element.ts';
import { acknowledgeAlerts, summarizeOutcomes, type BulkAcknowledgeResult } from '../shared/acknowledge-api.ts';

export interface BulkAcknowledged {
  results: BulkAcknowledgeResult[];
  /** The alerts as they are now (the ones found). */
  alerts: AlertItem[];
  /** "3 acknowledged, 1 already acknowledged". */
  summary: string;
}

/**
 * The bar `<alert-feed>` shows while alerts are selected, loaded on first use (its own
 * chunk): an optional note, "Acknowledge selected (N)" (`POST /alerts/acknowledge`, at
 * most 100 ids) and "Clear selection". Emits `bh-alert-acknowledge` (composed: it leaves
 * the feed) for each alert acknowledged, and dispatches `bulk-acknowledged` (detail:
 * `BulkAcknowledged`), `bulk-failed` (detail: the error) and `bulk-clear`.
 */
export class BulkAcknowledgeBar extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
        align-items: end;
        padding: var(--_space);
        margin-bottom: var(--_space);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      .field {
        flex: 1 1 16rem;
      }
    `,
  ];

  @property({ attribute: false }) client?: ApiClient;
  @property({ attribute: false }) ids: readonly string[] = [];

  @state() private saving = false;
  @state() private error = '';

  @query('input[name="note"]') private note!: HTMLInputElement;

  override render(): TemplateResult {
    const count = this.ids.length;
    return html`<form part="bulk-bar" aria-label=${msg('Selected alerts')} @submit=${this.#submit}>
      <label class="field">
        <span>${msg('Note for the selected alerts (optional)')}</span>
        <input type="text" name="note" maxlength="2000" part="bulk-note" />
      </label>
      <button type="submit" class="primary" part="bulk-acknowledge" ?disabled=${this.saving || count === 0 || count > 100}>
        ${this.saving ? msg('Acknowledging…') : msg(str`Acknowledge selected (${count})`)}
      </button>
      <button type="button" part="bulk-clear" @click=${() => this.dispatchEvent(new Event('bulk-clear'))}>${msg('Clear selection')}</button>
      ${count > 100 ? html`<p class="status" data-tone="warning">${msg('At most 100 at a time: select fewer.')}</p>` : nothing}
      ${this.error ? html`<p class="status" data-tone="critical" role="alert">${this.error}</p>` : nothing}
    </form>`;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (!this.client || this.saving || this.ids.length === 0 || this.ids.length > 100) return;
    this.saving = true;
    this.error = '';
    try {
      const results = await acknowledgeAlerts(this.client, [...this.ids], this.note.value.trim() || undefined);
      this.note.value = '';
      for (const result of results) if (result.outcome === 'acknowledged') this.emit('bh-alert-acknowledge', { alertId: result.id });
      const alerts = results.flatMap((result) => (result.alert ? [result.alert] : []));
      this.dispatchEvent(new CustomEvent<BulkAcknowledged>('bulk-acknowledged', { detail: { results, alerts, summary: summarizeOutcomes(results) } }));
    } catch (error) {
      this.error = `${msg('Could not acknowledge the selected alerts.')} ${error instanceof ProblemError ? error.problem.title : msg('Please try again.')}`;
      this.dispatchEvent(new CustomEvent('bulk-failed', { detail: error }));
    } finally {
      this.saving = false;
    }
  };
}

BulkAcknowledgeBar.define('bh-bulk-acknowledge');

declare global {
  interface HTMLElementTagNameMap {
    'bh-bulk-acknowledge': BulkAcknowledgeBar;
  }
}

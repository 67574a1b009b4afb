import { css, html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { AlertItem } from '../../core/api.ts';
import type { ApiClient } from '../shared/api-client.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { BhElement } from '../shared/base-element.ts';
import { acknowledgeAlert, unacknowledgeAlert } from '../shared/acknowledge-api.ts';

/**
 * The inline "Acknowledge…" / "Unacknowledge…" form of an alert in `<alert-feed>`, loaded
 * on first use (its own chunk): an optional note, the action and Cancel (Escape cancels
 * too). The note field takes focus when it opens. Dispatches `acknowledge-done` (detail:
 * the updated alert) after the API accepted it, `acknowledge-failed` (detail: the error)
 * and `acknowledge-cancel`.
 */
export class AcknowledgeForm extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      form {
        display: flex;
        flex-direction: column;
        gap: calc(var(--_space) * 0.5);
        margin-top: var(--_space);
        max-width: 36rem;
      }
      .actions {
        display: flex;
        gap: var(--_space);
      }
    `,
  ];

  @property({ attribute: false }) alert?: AlertItem;
  @property({ attribute: false }) client?: ApiClient;
  /** `unacknowledge` undoes an acknowledgement. */
  @property() mode: 'acknowledge' | 'unacknowledge' = 'acknowledge';

  @state() private saving = false;
  @state() private error = '';

  @query('textarea') private note!: HTMLTextAreaElement;

  protected override firstUpdated(): void {
    this.note.focus();
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.alert) return nothing;
    const undo = this.mode === 'unacknowledge';
    const name = this.alert.device.name;
    const verb = undo ? msg('Unacknowledge') : msg('Acknowledge');
    return html`<form part="acknowledge-form" @submit=${this.#submit} @keydown=${this.#keydown} aria-label=${undo ? msg(str`Unacknowledge ${name}`) : msg(str`Acknowledge ${name}`)}>
      <label class="field">
        <span>${undo ? msg('Note (optional: why is it open again?)') : msg('Note (optional, e.g. what you are doing about it)')}</span>
        <textarea name="note" rows="2" maxlength="2000" part="acknowledge-note" aria-describedby=${this.error ? 'ack-error' : nothing}></textarea>
      </label>
      ${this.error ? html`<p id="ack-error" class="status" data-tone="critical" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" part="acknowledge-submit" ?disabled=${this.saving}>${this.saving ? (undo ? msg('Unacknowledging…') : msg('Acknowledging…')) : verb}</button>
        <button type="button" part="acknowledge-cancel" @click=${this.#cancel}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (!this.client || !this.alert || this.saving) return;
    const note = this.note.value.trim() || undefined;
    this.saving = true;
    this.error = '';
    try {
      const step = this.mode === 'unacknowledge' ? unacknowledgeAlert : acknowledgeAlert;
      const updated = await step(this.client, this.alert.id, note);
      this.dispatchEvent(new CustomEvent<AlertItem>('acknowledge-done', { detail: updated }));
    } catch (error) {
      this.error = error instanceof ProblemError ? `${error.problem.title}${error.problem.detail ? `: ${error.problem.detail}` : ''}` : msg('Please try again.');
      // A 401 is the feed's to announce: hand it over.
      this.dispatchEvent(new CustomEvent('acknowledge-failed', { detail: error }));
    } finally {
      this.saving = false;
    }
  };

  #keydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.#cancel();
    }
  };

  #cancel = (): void => {
    this.dispatchEvent(new Event('acknowledge-cancel'));
  };
}

AcknowledgeForm.define('bh-acknowledge-form');

declare global {
  interface HTMLElementTagNameMap {
    'bh-acknowledge-form': AcknowledgeForm;
  }
}

import { css, html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { AlertItem } from '../../core/api.ts';
import type { ApiClient } from '../shared/api-client.ts';
import { BhElement } from '../shared/base-element.ts';
import { ALERT_TYPE_LABELS } from '../shared/labels.ts';
import { createSilence, fieldErrors, type Silence, type SilenceBody } from '../shared/quiet-api.ts';
import { fromZonedInput } from '../shared/zoned-input.ts';
import { SILENCE_COMMENT_MAX } from '../../core/silences.ts';

const HOUR = 3_600_000;
const PRESETS = [['1h', () => msg('1 hour'), HOUR], ['4h', () => msg('4 hours'), 4 * HOUR], ['1d', () => msg('1 day'), 24 * HOUR], ['1w', () => msg('1 week'), 7 * 24 * HOUR]] as const;
type Preset = (typeof PRESETS)[number][0] | 'until';

/**
 * The "Silence…" dialog of `<alert-feed>`, loaded on first use (its own chunk): matchers
 * prefilled from the alert (client, device, type; each can be unticked), a duration
 * preset or an end time, and a required comment. Dispatches `silence-created` (detail:
 * the silence) after the API accepted it, and `silence-closed` when it closes.
 */
export class SilenceDialog extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      :host {
        display: contents;
      }
      dialog {
        max-width: min(34rem, 95vw);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        color: var(--_text);
        padding: calc(var(--_space) * 2);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      form,
      fieldset {
        display: flex;
        flex-direction: column;
        gap: var(--_space);
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0;
      }
      h2 {
        margin: 0;
        font-size: 1.1em;
      }
      .check {
        display: inline-flex;
        gap: 0.4em;
        align-items: center;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
      }
      .field-error,
      .field > .field-error {
        color: var(--_tone);
        display: block;
        font-size: 0.85em;
        white-space: normal;
      }
      .actions {
        display: flex;
        gap: var(--_space);
        justify-content: end;
      }
    `,
  ];

  @property({ attribute: false }) alert?: AlertItem;
  @property({ attribute: false }) client?: ApiClient;
  /** The feed's timezone: an end typed here is read in it. */
  @property({ attribute: false }) timeZone?: string;

  @state() private preset: Preset = '4h';
  @state() private saving = false;
  @state() private errors: Record<string, string> = {};

  @query('dialog') private dialog!: HTMLDialogElement;

  protected override firstUpdated(): void {
    this.dialog.showModal();
  }

  override render(): TemplateResult | typeof nothing {
    const alert = this.alert;
    if (!alert) return nothing;
    const e = this.errors;
    const error = (path: string, id: string) => (e[path] ? html`<span id=${id} class="field-error status" data-tone="critical" part="field-error">${e[path]}</span>` : nothing);
    const described = (path: string, id: string) => (e[path] ? id : nothing);
    return html`<dialog part="silence-dialog" aria-labelledby="silence-heading" data-theme=${this.effectiveTheme} @close=${this.#onClose}>
      <form @submit=${this.#submit}>
        <h2 id="silence-heading">${msg('Silence alerts like this one')}</h2>
        ${error('', 'err-form')}
        <fieldset aria-describedby=${described('matchers', 'err-matchers')}>
          <legend>${msg('Match alerts of')}</legend>
          <label class="check"><input type="checkbox" name="clientId" .checked=${true} /><span>${msg(str`Client ${alert.client.name}`)}</span></label>
          <label class="check"><input type="checkbox" name="deviceId" .checked=${true} /><span>${msg(str`Device ${alert.device.name}`)}</span></label>
          <label class="check"><input type="checkbox" name="type" .checked=${true} /><span>${msg(str`Type ${ALERT_TYPE_LABELS[alert.type] ?? alert.type}`)}</span></label>
          ${error('matchers', 'err-matchers')}
        </fieldset>
        <fieldset aria-describedby=${described('endsAt', 'err-ends')}>
          <legend>${msg('For')}</legend>
          <div class="row">
            ${PRESETS.map(([preset, label]) => html`<label class="check"><input type="radio" name="preset" value=${preset} .checked=${this.preset === preset} @change=${() => (this.preset = preset)} /><span>${label()}</span></label>`)}
            <label class="check"><input type="radio" name="preset" value="until" .checked=${this.preset === 'until'} @change=${() => (this.preset = 'until')} /><span>${msg('Until…')}</span></label>
          </div>
          ${this.preset === 'until'
            ? html`<label class="field"><span>${msg('Ends')} <span class="muted">(${this.timeZone ?? ''})</span></span><input type="datetime-local" name="endsAt" required aria-invalid=${e.endsAt ? 'true' : 'false'} /></label>`
            : nothing}
          ${error('endsAt', 'err-ends')}
        </fieldset>
        <label class="field">
          <span>${msg('Comment (required: why is it silenced?)')}</span>
          <textarea name="comment" required rows="2" maxlength=${SILENCE_COMMENT_MAX} aria-invalid=${e.comment ? 'true' : 'false'} aria-describedby=${described('comment', 'err-comment')}></textarea>
          ${error('comment', 'err-comment')}
        </label>
        <div class="actions">
          <button type="button" part="silence-cancel" @click=${() => this.dialog.close()}>${msg('Cancel')}</button>
          <button type="submit" class="primary" part="silence-submit" ?disabled=${this.saving}>${this.saving ? msg('Silencing…') : msg('Silence')}</button>
        </div>
      </form>
    </dialog>`;
  }

  #body(form: HTMLFormElement): SilenceBody {
    const alert = this.alert!;
    const data = new FormData(form);
    const matchers: SilenceBody['matchers'] = {};
    if (data.has('clientId')) matchers.clientId = alert.client.id;
    if (data.has('deviceId')) matchers.deviceId = alert.device.id;
    if (data.has('type')) matchers.type = alert.type;
    const preset = PRESETS.find(([id]) => id === this.preset);
    const endsAt = preset ? new Date(Date.now() + preset[2]).toISOString() : fromZonedInput(String(data.get('endsAt') ?? ''), this.timeZone);
    return { matchers, endsAt, comment: String(data.get('comment') ?? '').trim() };
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!this.client || !form.reportValidity()) return;
    const body = this.#body(form);
    if (Object.keys(body.matchers).length === 0) {
      this.errors = { matchers: msg('Tick at least one: a silence matching everything is not allowed.') };
      return;
    }
    this.saving = true;
    this.errors = {};
    try {
      const silence = await createSilence(this.client, body);
      this.dispatchEvent(new CustomEvent<Silence>('silence-created', { detail: silence }));
      this.dialog.close();
    } catch (error) {
      this.errors = fieldErrors(error);
      // A 401 is the feed's to announce: hand it over.
      this.dispatchEvent(new CustomEvent('silence-failed', { detail: error }));
    } finally {
      this.saving = false;
    }
  };

  #onClose = (): void => {
    this.dispatchEvent(new Event('silence-closed'));
  };
}

SilenceDialog.define('bh-silence-dialog');

declare global {
  interface HTMLElementTagNameMap {
    'bh-silence-dialog': SilenceDialog;
  }
}

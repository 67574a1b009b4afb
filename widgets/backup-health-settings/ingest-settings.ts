import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { renderTone } from '../shared/status.ts';
import { ingestSettings, rotatePingKey, type IngestSettings } from './ingest-api.ts';
import { copyText, renderIngestAsync } from './ingest-access.ts';
import { fieldErrors } from '../shared/quiet-api.ts';
import type { SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

/** `5f0c…f4e7` → `••••••••••••f4e7`: enough to tell keys apart, not enough to use one. */
export const maskKey = (key: string): string => `${'•'.repeat(Math.max(0, key.length - 4))}${key.slice(-4)}`;

/**
 * Settings → Ingest: how real tools reach the tenant. The ping key (masked) with
 * Rotate, behind a confirmation because every old ping URL and the old mail address
 * stop at once, and the report mail address with Copy.
 *
 * @event bh-settings-save - The ping key was rotated: `{ section: 'ingest' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart ping-key - The masked ping key.
 * @csspart rotate-button - "Rotate ping key…".
 * @csspart rotate-dialog - The confirmation; `confirm-rotate-button` and `cancel-button` inside.
 * @csspart mail-address - The report mail address; `copy-button` each copy button.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-ingest-settings
 */
export class BackupHealthIngestSettings extends ApiElement {
  static override styles = [BhElement.styles, settingsStyles];

  @state() protected rotated?: IngestSettings;
  @state() protected rotating = false;
  @state() protected message: SectionMessage | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;

  #settings = this.apiTask((api, signal) => ingestSettings(api, signal));

  /** Settles when the settings have loaded. */
  get loadComplete(): Promise<unknown> {
    return this.#settings.taskComplete.catch(() => undefined);
  }

  protected override reload(): void {
    this.rotated = undefined;
    void this.#settings.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="ingest-heading" aria-busy=${isBusy(this.#settings) ? 'true' : 'false'}>
      <h2 id="ingest-heading" part="heading">${msg('Ingest: ping URLs and report mail')}</h2>
      ${renderIngestAsync(this.#settings, {
        loading: msg('Loading ingest settings…'),
        retry: () => this.reload(),
        complete: (loaded) => this.#renderSettings(this.rotated ?? loaded),
      })}
    </section>`;
  }

  #renderSettings(value: IngestSettings): TemplateResult {
    return html`<p class="muted hint">${msg(html`Backup tools report without any code: a script or borgmatic's <code>healthchecks</code> hook pings <code>{ping URL base}/{device's ping slug}</code>; Veeam, Duplicati and CSV reports are mailed to the address below. Each device's own URL is in its detail.`)}</p>
      <dl class="reporting">
        <div>
          <dt id="ping-key-label">${msg('Ping key')}</dt>
          <dd><code part="ping-key" aria-labelledby="ping-key-label">${maskKey(value.pingKey)}</code></dd>
        </div>
        <div>
          <dt>${msg('Ping URL base')}</dt>
          <dd><code>${value.pingUrlBase.replace(value.pingKey, maskKey(value.pingKey))}</code> <button type="button" part="copy-button" aria-label=${msg('Copy ping URL base')} @click=${() => this.#copy(value.pingUrlBase, msg('Ping URL base copied.'), msg('Copying was refused by the browser: select the ping URL base and copy it.'))}>${msg('Copy')}</button></dd>
        </div>
        <div>
          <dt>${msg('Report mail address')}</dt>
          <dd><code part="mail-address">${value.mailAddress}</code> <button type="button" part="copy-button" aria-label=${msg('Copy report mail address')} @click=${() => this.#copy(value.mailAddress, msg('Report mail address copied.'), msg('Copying was refused by the browser: select the report mail address and copy it.'))}>${msg('Copy')}</button></dd>
        </div>
      </dl>
      <p class="muted hint">${msg(html`Add <code>+{client id}</code> before the <code>@</code> to file a message under a client.`)}</p>
      <div class="actions">
        <button type="button" part="rotate-button" ?disabled=${this.rotating} @click=${() => this.#ask()}>${this.rotating ? msg('Rotating…') : msg('Rotate ping key…')}</button>
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
      <dialog part="rotate-dialog" aria-labelledby="rotate-heading" aria-describedby="rotate-consequence">
        <h3 id="rotate-heading">${msg('Rotate the ping key?')}</h3>
        <p id="rotate-consequence">${msg('Every ping URL and the report mail address with the current key stop working at once: devices still using them are answered "not found" and their results are lost until you give them the new URLs.')}</p>
        <div class="actions">
          <button type="button" class="primary" part="confirm-rotate-button" @click=${() => this.#rotate()}>${msg('Rotate now')}</button>
          <button type="button" part="cancel-button" @click=${() => this.dialog.close()}>${msg('Cancel')}</button>
        </div>
      </dialog>`;
  }

  #ask(): void {
    this.message = null;
    this.dialog.showModal();
    // The safe choice has focus: Enter does not rotate by accident.
    this.renderRoot.querySelector<HTMLElement>('[part~="cancel-button"]')?.focus();
  }

  async #rotate(): Promise<void> {
    const api = this.api;
    this.dialog.close();
    if (!api) return;
    this.rotating = true;
    try {
      this.rotated = await rotatePingKey(api);
      this.message = { tone: 'healthy', text: msg('Ping key rotated. The old ping URLs and mail address no longer work: give your devices the new ones.') };
      this.emit('bh-settings-save', { section: 'ingest' });
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `${msg('Could not rotate the ping key.')} ${fieldErrors(error)[''] ?? ''}` };
    } finally {
      this.rotating = false;
    }
  }

  async #copy(value: string, copied: string, refused: string): Promise<void> {
    this.message = { tone: 'healthy', text: await copyText(value, copied, refused) };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-ingest-settings': BackupHealthIngestSettings;
  }
}

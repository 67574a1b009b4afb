import { css, html, nothing, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { keyed } from 'lit/directives/keyed.js';
import '../backup-health-device-detail/index.ts';
import { BhElement } from '../shared/base-element.ts';

/**
 * The device an alert is about, opened from `<alert-feed>` in a side dialog like the
 * table's (the same lazily loaded `<backup-health-device-detail>`, which takes its API
 * client from the feed through context). Dispatches `device-closed` when it closes.
 */
export class AlertDeviceDialog extends BhElement {
  static override styles = [
    BhElement.styles,
    css`
      :host {
        display: contents;
      }
      dialog {
        margin: 0 0 0 auto;
        height: 100vh;
        max-height: 100vh;
        width: min(44rem, 100vw);
        max-width: 100vw;
        border: none;
        border-inline-start: 1px solid var(--_border);
        padding: calc(var(--_space) * 2);
        background: var(--_surface);
        color: var(--_text);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      .bar {
        display: flex;
        justify-content: flex-end;
        margin-bottom: var(--_space);
      }
    `,
  ];

  @property({ attribute: 'device-id' }) deviceId = '';
  @property({ attribute: 'device-name' }) deviceName = '';

  @query('dialog') private dialog!: HTMLDialogElement;

  protected override firstUpdated(): void {
    this.dialog.showModal();
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.deviceId) return nothing;
    return html`<dialog part="device-dialog" aria-label=${msg(str`Device ${this.deviceName || this.deviceId}`)} data-theme=${this.effectiveTheme} @close=${() => this.dispatchEvent(new Event('device-closed'))}>
      <div class="bar"><button type="button" part="device-close" @click=${() => this.dialog.close()}>${msg('Close')}</button></div>
      ${keyed(this.deviceId, html`<backup-health-device-detail device-id=${this.deviceId}></backup-health-device-detail>`)}
    </dialog>`;
  }
}

AlertDeviceDialog.define('bh-alert-device-dialog');

declare global {
  interface HTMLElementTagNameMap {
    'bh-alert-device-dialog': AlertDeviceDialog;
  }
}

import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { ReportSettings } from '../../core/api.ts';
import type { Weekday } from '../../core/types.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { renderTime } from '../shared/format.ts';
import { WEEKDAY_LABELS, keysOf } from '../shared/labels.ts';
import { formReader, SettingsSectionElement, timezoneOptions } from './settings-section.ts';

/**
 * The weekly health summary e-mail: on or off, recipients, delivery day and time in a
 * timezone, and "Send now".
 *
 * @event bh-settings-save - Saved: `{ section: 'reports' }`.
 * @event bh-report-send - "Send now" was accepted.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart save-button - Save.
 * @csspart send-button - Send now.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-report-settings
 */
export class BackupHealthReportSettings extends SettingsSectionElement<'reports'> {
  protected readonly section = 'reports' as const;
  protected get heading(): string {
    return msg('Weekly report');
  }

  @state() private sending = false;
  #clock = new ClockController(this);

  protected renderFields(value: ReportSettings): TemplateResult {
    const now = this.#clock.now;
    return html`<label class="check">
        <input type="checkbox" name="weeklyEnabled" .checked=${value.weeklyEnabled} />
        <span>${msg('E-mail the weekly health summary')}</span>
      </label>
      <div class="row">
        <label class="field wide">
          <span>${msg('Recipients (comma-separated e-mail addresses)')}</span>
          <input type="email" name="recipients" multiple placeholder=${msg('noc@example.com, owner@example.com')} .value=${value.recipients.join(', ')} />
        </label>
      </div>
      <div class="row">
        <label class="field">
          <span>${msg('Delivery day')}</span>
          <select name="deliveryDay">
            ${keysOf(WEEKDAY_LABELS).map((day) => html`<option value=${day} ?selected=${day === value.deliveryDay}>${WEEKDAY_LABELS[day]}</option>`)}
          </select>
        </label>
        <label class="field">
          <span>${msg('Time')}</span>
          <input type="time" name="deliveryTime" required .value=${value.deliveryTime} />
        </label>
        <label class="field">
          <span>${msg('Timezone')}</span>
          <input type="text" name="timezone" required list="timezones" autocomplete="off" .value=${value.timezone} />
        </label>
        ${timezoneOptions()}
      </div>
      ${value.lastSentAt !== undefined || value.nextDeliveryAt !== undefined
        ? html`<p class="muted">
            ${this.#renderDeliveries(value, now)}
          </p>`
        : nothing}`;
  }

  /** "Last sent 3 days ago; next in 4 days." */
  #renderDeliveries(value: ReportSettings, now: number): TemplateResult {
    const last = renderTime(value.lastSentAt ?? null, now, this.viewZone.value, msg('never'));
    if (!(value.nextDeliveryAt && value.weeklyEnabled)) return msg(html`Last sent ${last}.`);
    const next = renderTime(value.nextDeliveryAt, now, this.viewZone.value);
    return msg(html`Last sent ${last}; next ${next}.`);
  }

  protected readPatch(form: HTMLFormElement): Partial<ReportSettings> {
    const read = formReader(form);
    return {
      weeklyEnabled: read.checked('weeklyEnabled'),
      recipients: read
        .text('recipients')
        .split(/[,;\s]+/)
        .filter(Boolean),
      deliveryDay: read.text('deliveryDay') as Weekday,
      deliveryTime: read.text('deliveryTime'),
      timezone: read.text('timezone'),
    };
  }

  protected override renderExtraActions(): TemplateResult {
    return html`<button type="button" part="send-button" ?disabled=${this.sending} @click=${this.#sendNow}>${this.sending ? msg('Sending…') : msg('Send now')}</button>`;
  }

  async #sendNow(): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.sending = true;
    this.message = null;
    try {
      await api.sendWeeklyReport();
      this.message = { tone: 'healthy', text: msg('The weekly report is on its way to the recipients.') };
      this.emit('bh-report-send', {});
    } catch (error) {
      this.report(error, msg('Could not send the report.'));
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-report-settings': BackupHealthReportSettings;
  }
}

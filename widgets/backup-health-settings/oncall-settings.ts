import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { OnCallSettings } from '../../core/api.ts';
import { DEVICE_KINDS, type DeviceKind } from '../../core/types.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { KIND_LABELS, WEEKDAY_LABELS } from '../shared/labels.ts';
import { renderIntegrationStatus } from './integration-status.ts';
import { formReader, SettingsSectionElement, timezoneOptions } from './settings-section.ts';

/** ISO weekdays 1 (Monday) … 7 (Sunday) with their names (read when rendering: the labels are getters). */
const isoWeekdays = () => Object.values(WEEKDAY_LABELS).map((label, index) => [index + 1, label] as const);

/**
 * On-Call escalation of SLA breaches: enable, base URL, the write-only key, escalation
 * policy, the breach threshold in hours, which device kinds page, and business hours
 * (timezone, days, start, end) inside which nobody is paged. Shows delivery status.
 *
 * @event bh-settings-save - Saved: `{ section: 'oncall' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart integration-status - Delivery status.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-oncall-settings
 */
export class BackupHealthOnCallSettings extends SettingsSectionElement<'oncall'> {
  protected readonly section = 'oncall' as const;
  protected get heading(): string {
    return msg('On-Call escalation');
  }

  #clock = new ClockController(this);

  protected renderFields(value: OnCallSettings): TemplateResult {
    const hours = value.businessHours;
    return html`${renderIntegrationStatus(value.status, this.#clock.now, this.viewZone.value)}
      <label class="check">
        <input type="checkbox" name="enabled" .checked=${value.enabled} />
        <span>${msg('Page on-call for SLA breaches')}</span>
      </label>
      <div class="row">
        <label class="field wide">
          <span>${msg('On-Call base URL')}</span>
          <input type="url" name="baseUrl" placeholder="https://oncall.example.com/api" .value=${value.baseUrl} />
        </label>
        <label class="field">
          <span>${msg('Integration key (X-Integration-Key)')}</span>
          <input type="password" name="integrationKey" autocomplete="new-password" placeholder=${value.integrationKeySet ? msg('••• set') : msg('Not set')} aria-describedby="oncall-key-hint" />
        </label>
      </div>
      <p id="oncall-key-hint" class="muted hint">${msg('The key is never shown again; leave it empty to keep the current one.')}</p>
      <div class="row">
        <label class="field">
          <span>${msg('Escalation policy')}</span>
          <input type="text" name="escalationPolicy" placeholder=${msg('e.g. backups-primary')} .value=${value.escalationPolicy} />
        </label>
        <label class="field">
          <span>${msg('Page after a breach of (hours)')}</span>
          <input type="number" name="breachHoursThreshold" required min="0" max="720" step="0.5" .value=${String(value.breachHoursThreshold)} />
        </label>
      </div>
      <fieldset>
        <legend>${msg('Device kinds that page')}</legend>
        <div class="row">
          ${DEVICE_KINDS.map(
            (kind) => html`<label class="check"><input type="checkbox" name="deviceKinds" value=${kind} .checked=${value.deviceKinds.includes(kind)} /><span>${KIND_LABELS[kind]}</span></label>`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>${msg('Business hours (no pages inside them)')}</legend>
        <div class="row">
          <label class="field">
            <span>${msg('Timezone')}</span>
            <input type="text" name="businessHours.timezone" required list="timezones" autocomplete="off" .value=${hours.timezone} />
          </label>
          ${timezoneOptions()}
          <label class="field">
            <span>${msg('Start')}</span>
            <input type="time" name="businessHours.start" required .value=${hours.start} />
          </label>
          <label class="field">
            <span>${msg('End')}</span>
            <input type="time" name="businessHours.end" required .value=${hours.end} />
          </label>
        </div>
        <div class="row days" role="group" aria-label=${msg('Business days')}>
          ${isoWeekdays().map(
            ([day, label]) => html`<label class="check"><input type="checkbox" name="businessHours.days" value=${day} .checked=${hours.days.includes(day)} /><span>${label}</span></label>`,
          )}
        </div>
      </fieldset>`;
  }

  protected readPatch(form: HTMLFormElement): Partial<OnCallSettings> | string {
    const read = formReader(form);
    const key = read.text('integrationKey');
    const deviceKinds = read.all('deviceKinds') as DeviceKind[];
    if (read.checked('enabled') && deviceKinds.length === 0) return msg('Choose at least one device kind that pages on-call.');
    return {
      enabled: read.checked('enabled'),
      baseUrl: read.text('baseUrl'),
      escalationPolicy: read.text('escalationPolicy'),
      breachHoursThreshold: read.number('breachHoursThreshold'),
      deviceKinds,
      businessHours: {
        timezone: read.text('businessHours.timezone'),
        days: read.all('businessHours.days').map(Number),
        start: read.text('businessHours.start'),
        end: read.text('businessHours.end'),
      },
      // Write-only: sent only when a new key was typed.
      ...(key ? { integrationKey: key } : {}),
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-oncall-settings': BackupHealthOnCallSettings;
  }
}

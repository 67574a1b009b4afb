import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { AlertSettings } from '../../core/api.ts';
import { formReader, SettingsSectionElement } from './settings-section.ts';

/**
 * The alert workflow: how often an alert left open reminds (a note on its ticket, a
 * re-trigger of its page) and within how many days a resolved ticket is reopened rather
 * than a new one opened.
 *
 * @event bh-settings-save - Saved: `{ section: 'alerts' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-alert-settings
 */
export class BackupHealthAlertSettings extends SettingsSectionElement<'alerts'> {
  protected readonly section = 'alerts' as const;
  protected get heading(): string {
    return msg('Reminders and tickets');
  }

  protected renderFields(value: AlertSettings): TemplateResult {
    return html`<div class="row">
      <label class="field">
        <span>${msg('Remind every (hours; 0 = never)')}</span>
        <input type="number" name="reminderHours" min="0" max="8760" step="any" required .value=${String(value.reminderHours)} />
      </label>
      <label class="field">
        <span>${msg('Reopen a ticket resolved within (days; 0 = never)')}</span>
        <input type="number" name="reopenDays" min="0" max="365" step="1" required .value=${String(value.reopenDays)} />
      </label>
    </div>`;
  }

  protected readPatch(form: HTMLFormElement): Partial<AlertSettings> {
    const read = formReader(form);
    return { reminderHours: Number(read.text('reminderHours')), reopenDays: Number(read.text('reopenDays')) };
  }
}

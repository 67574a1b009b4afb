import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { PsaSettings } from '../../core/api.ts';
import { ALERT_TYPES, type TicketPriority } from '../../core/types.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { ALERT_TYPE_LABELS, TICKET_PRIORITIES } from '../shared/labels.ts';
import { renderIntegrationStatus } from './integration-status.ts';
import { formReader, SettingsSectionElement } from './settings-section.ts';

/** The PSA's priorities in words; the value sent stays the PSA's own (`Critical`…). */
const PRIORITY_LABELS: Record<TicketPriority, string> = {
  get Critical() { return msg('Critical'); },
  get High() { return msg('High'); },
  get Medium() { return msg('Medium'); },
  get Low() { return msg('Low'); },
};

/**
 * The PSA integration ("The One PSA"): auto-create tickets, base URL, the write-only
 * integration key, the failure threshold, and for every alert type the ticket type and
 * priority (or no ticket). Shows delivery status (last success, last error, queue).
 *
 * @event bh-settings-save - Saved: `{ section: 'psa' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart mapping-table - Alert type → ticket mapping.
 * @csspart integration-status - Delivery status.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-psa-settings
 */
export class BackupHealthPsaSettings extends SettingsSectionElement<'psa'> {
  protected readonly section = 'psa' as const;
  protected get heading(): string {
    return msg('PSA tickets');
  }

  #clock = new ClockController(this);

  protected renderFields(value: PsaSettings): TemplateResult {
    return html`${renderIntegrationStatus(value.status, this.#clock.now, this.viewZone.value)}
      <label class="check">
        <input type="checkbox" name="enabled" .checked=${value.enabled} />
        <span>${msg('Create tickets automatically')}</span>
      </label>
      <div class="row">
        <label class="field wide">
          <span>${msg('PSA base URL')}</span>
          <input type="url" name="baseUrl" placeholder="https://psa.example.com/api" .value=${value.baseUrl} />
        </label>
        <label class="field">
          <span>${msg('Integration key (X-Integration-Key)')}</span>
          <input type="password" name="integrationKey" autocomplete="new-password" placeholder=${value.integrationKeySet ? msg('••• set') : msg('Not set')} aria-describedby="psa-key-hint" />
        </label>
        <label class="field">
          <span>${msg('Failure threshold (consecutive failures)')}</span>
          <input type="number" name="failureThreshold" required min="1" max="100" step="1" .value=${String(value.failureThreshold)} />
        </label>
      </div>
      <p id="psa-key-hint" class="muted hint">${msg('The key is never shown again; leave it empty to keep the current one.')}</p>
      <fieldset>
        <legend>${msg('Ticket for each alert type')}</legend>
        <div class="table-wrap"><table class="data" part="mapping-table">
          <thead>
            <tr><th scope="col">${msg('Alert')}</th><th scope="col">${msg('Priority')}</th><th scope="col">${msg('Ticket type')}</th></tr>
          </thead>
          <tbody>
            ${ALERT_TYPES.map((type) => {
              const mapping = value.mapping[type] ?? null;
              const label = ALERT_TYPE_LABELS[type];
              return html`<tr>
                <th scope="row">${label}</th>
                <td>
                  <select name="mapping.${type}.priority" aria-label=${msg(str`${label}: priority`)}>
                    <option value="" ?selected=${!mapping}>${msg('No ticket')}</option>
                    ${TICKET_PRIORITIES.map((priority) => html`<option value=${priority} ?selected=${mapping?.priority === priority}>${PRIORITY_LABELS[priority]}</option>`)}
                  </select>
                </td>
                <td>
                  <input type="text" name="mapping.${type}.ticketType" aria-label=${msg(str`${label}: ticket type`)} placeholder=${label} .value=${mapping?.ticketType ?? ''} />
                </td>
              </tr>`;
            })}
          </tbody>
        </table></div>
      </fieldset>`;
  }

  protected readPatch(form: HTMLFormElement): Partial<PsaSettings> {
    const read = formReader(form);
    const mapping: PsaSettings['mapping'] = {};
    for (const type of ALERT_TYPES) {
      const priority = read.text(`mapping.${type}.priority`) as TicketPriority | '';
      mapping[type] = priority ? { priority, ticketType: read.text(`mapping.${type}.ticketType`) || ALERT_TYPE_LABELS[type] } : null;
    }
    const key = read.text('integrationKey');
    return {
      enabled: read.checked('enabled'),
      baseUrl: read.text('baseUrl'),
      failureThreshold: read.number('failureThreshold'),
      mapping,
      // Write-only: sent only when a new key was typed.
      ...(key ? { integrationKey: key } : {}),
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-psa-settings': BackupHealthPsaSettings;
  }
}

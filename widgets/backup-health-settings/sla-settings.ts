import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { SlaSettings } from '../../core/api.ts';
import type { DeviceKind, SlaHours } from '../../core/types.ts';
import type { SlaSettingsPatch } from '../shared/api-client.ts';
import { formatCount } from '../shared/format.ts';
import { KIND_LABELS } from '../shared/labels.ts';
import { formReader, SettingsSectionElement } from './settings-section.ts';

const HOURS_FIELDS: readonly [keyof SlaHours, DeviceKind][] = [
  ['workstationHours', 'workstation'],
  ['serverHours', 'server'],
  ['saasHours', 'saas'],
];

/** "Server (hours)". */
function hoursOf(kind: DeviceKind): string {
  const label = KIND_LABELS[kind];
  return msg(str`${label} (hours)`);
}

/**
 * SLA rules: the maximum hours since the last successful backup per device kind, for
 * the tenant and, where a client needs different terms, per client (an empty field
 * inherits the tenant rule).
 *
 * @event bh-settings-save - Saved: `{ section: 'sla' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart overrides-table - The per-client overrides.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-sla-settings
 */
export class BackupHealthSlaSettings extends SettingsSectionElement<'sla'> {
  protected readonly section = 'sla' as const;
  protected get heading(): string {
    return msg('SLA rules');
  }

  #clients = this.apiTask((api, signal) => api.allClients(signal));

  protected override reload(): void {
    super.reload();
    void this.#clients.run();
  }

  protected renderFields(value: SlaSettings): TemplateResult {
    const clients = this.#clients.value ?? [];
    return html`<fieldset>
        <legend>${msg('Tenant: hours allowed since the last successful backup')}</legend>
        <div class="row">
          ${HOURS_FIELDS.map(
            ([field, kind]) => html`<label class="field">
              <span>${hoursOf(kind)}</span>
              <input type="number" name="tenant.${field}" required min="1" max="8760" step="0.5" .value=${String(value.tenant[field])} />
            </label>`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>${msg('Per-client overrides (empty: the tenant rule applies)')}</legend>
        ${clients.length === 0
          ? html`<p class="muted">${msg('No clients yet.')}</p>`
          : html`<div class="table-wrap"><table class="data" part="overrides-table">
              <thead>
                <tr><th scope="col">${msg('Client')}</th>${HOURS_FIELDS.map(([, kind]) => html`<th scope="col">${hoursOf(kind)}</th>`)}</tr>
              </thead>
              <tbody>
                ${clients.map(
                  (client) => html`<tr>
                    <th scope="row">${client.name}</th>
                    ${HOURS_FIELDS.map(([field, kind]) => {
                      const override = value.clients[client.id]?.[field];
                      return html`<td>
                        <input
                          type="number"
                          name="client.${client.id}.${field}"
                          min="1"
                          max="8760"
                          step="0.5"
                          aria-label=${msg(str`${client.name}: ${KIND_LABELS[kind]} hours`)}
                          placeholder=${msg(str`${formatCount(value.tenant[field])} (tenant)`)}
                          .value=${override === undefined ? '' : String(override)}
                        />
                      </td>`;
                    })}
                  </tr>`,
                )}
              </tbody>
            </table></div>`}
      </fieldset>`;
  }

  protected readPatch(form: HTMLFormElement, value: SlaSettings): SlaSettingsPatch {
    const read = formReader(form);
    const tenant = Object.fromEntries(HOURS_FIELDS.map(([field]) => [field, read.number(`tenant.${field}`)])) as unknown as SlaHours;
    const clients: NonNullable<SlaSettingsPatch['clients']> = {};
    for (const client of this.#clients.value ?? []) {
      const override = Object.fromEntries(HOURS_FIELDS.map(([field]) => [field, read.optionalNumber(`client.${client.id}.${field}`)])) as Record<keyof SlaHours, number | null>;
      const empty = Object.values(override).every((hours) => hours === null);
      // null removes an override; clients that never had one are left out.
      if (empty) {
        if (value.clients[client.id]) clients[client.id] = null;
      } else {
        clients[client.id] = override;
      }
    }
    return { tenant, clients };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-sla-settings': BackupHealthSlaSettings;
  }
}

import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { ClientReportSettings } from '../../core/api.ts';
import { formReader, SettingsSectionElement } from './settings-section.ts';

/** `acme: a@acme.example, b@acme.example` per line ↔ `{ acme: [...] }`. */
const linesOf = (byClient: Record<string, string[]>) =>
  Object.entries(byClient)
    .map(([client, recipients]) => `${client}: ${recipients.join(', ')}`)
    .join('\n');

/**
 * Monthly client reports: each client named gets its previous month's compliance PDF
 * on the given day and hour, in the client's own timezone. One line per client:
 * `client-id: address, address`. A client left out stops getting reports.
 *
 * @event bh-settings-save - Saved: `{ section: 'clientReports' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-client-report-settings
 */
export class BackupHealthClientReportSettings extends SettingsSectionElement<'clientReports'> {
  protected readonly section = 'clientReports' as const;
  protected get heading(): string {
    return msg('Monthly client reports');
  }

  protected renderFields(value: ClientReportSettings): TemplateResult {
    return html`<label class="check">
        <input type="checkbox" name="enabled" .checked=${value.enabled} />
        <span>${msg("E-mail each client below its previous month's compliance report (PDF)")}</span>
      </label>
      <div class="row">
        <label class="field">
          <span>${msg('Day of the month (1–28)')}</span>
          <input type="number" name="day" min="1" max="28" step="1" required .value=${String(value.day)} />
        </label>
        <label class="field">
          <span>${msg("Hour (0–23, in each client's timezone)")}</span>
          <input type="number" name="hour" min="0" max="23" step="1" required .value=${String(value.hour)} />
        </label>
      </div>
      <div class="row">
        <label class="field wide">
          <span>${msg('Recipients: one client per line, "client-id: address, address"')}</span>
          <textarea name="recipientsByClient" rows="4" placeholder=${msg('acme: it@acme.example, owner@acme.example')} .value=${linesOf(value.recipientsByClient)}></textarea>
        </label>
      </div>`;
  }

  protected readPatch(form: HTMLFormElement, value: ClientReportSettings): Partial<ClientReportSettings> | string {
    const read = formReader(form);
    // Clients no longer listed are sent as null: the PUT changes only the clients it names.
    const byClient: Record<string, string[] | null> = Object.fromEntries(Object.keys(value.recipientsByClient).map((client) => [client, null]));
    for (const line of read.text('recipientsByClient').split('\n')) {
      if (!line.trim()) continue;
      const colon = line.indexOf(':');
      if (colon < 1) {
        const given = line.trim();
        return msg(str`"${given}" needs the form "client-id: address, address".`);
      }
      byClient[line.slice(0, colon).trim()] = line.slice(colon + 1).split(/[,;\s]+/).filter(Boolean);
    }
    return { enabled: read.checked('enabled'), day: Number(read.text('day')), hour: Number(read.text('hour')), recipientsByClient: byClient as Record<string, string[]> };
  }
}

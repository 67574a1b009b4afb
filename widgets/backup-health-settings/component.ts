import { html, type TemplateResult } from 'lit';
import { ApiElement } from '../shared/api-element.ts';
import { BhElement } from '../shared/base-element.ts';
import { settingsStyles } from './styles.ts';

/**
 * The admin settings: SLA rules, backup policies (schedules), the weekly report, PSA tickets, On-Call escalation,
 * maintenance windows and silences, and Ingest (ping key, report mail address, keyword rules, unmatched mail, the discovery inbox), each its own form that loads and saves independently. Needs an admin token; the
 * dashboard shows it only then.
 *
 * @example
 * <backup-health-settings api-base="https://bff.example.com" token="…admin…"></backup-health-settings>
 *
 * @event bh-settings-save - A section was saved: `{ section }`.
 * @event bh-report-send - "Send now" of the weekly report was accepted.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper around the sections.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-settings
 */
export class BackupHealthSettings extends ApiElement {
  static override styles = [BhElement.styles, settingsStyles];

  constructor() {
    super();
    this.provideToChildren();
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base sections" data-theme=${this.effectiveTheme}>
      <backup-health-sla-settings></backup-health-sla-settings>
      <backup-health-policy-settings></backup-health-policy-settings>
      <backup-health-report-settings></backup-health-report-settings>
      <backup-health-branding-settings></backup-health-branding-settings>
      <backup-health-client-report-settings></backup-health-client-report-settings>
      <backup-health-psa-settings></backup-health-psa-settings>
      <backup-health-oncall-settings></backup-health-oncall-settings>
      <backup-health-alert-settings></backup-health-alert-settings>
      <backup-health-maintenance-settings></backup-health-maintenance-settings>
      <backup-health-silence-settings></backup-health-silence-settings>
      <backup-health-ingest-settings></backup-health-ingest-settings>
      <backup-health-keyword-rules-settings></backup-health-keyword-rules-settings>
      <backup-health-unmatched-mail></backup-health-unmatched-mail>
      <backup-health-discovery-inbox></backup-health-discovery-inbox>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-settings': BackupHealthSettings;
  }
}

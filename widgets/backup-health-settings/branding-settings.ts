import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { BrandingSettings } from '../../core/api.ts';
import { formReader, SettingsSectionElement } from './settings-section.ts';

/**
 * How the MSP presents itself in what the product sends: its name in the weekly
 * e-mail's subject and header (empty: the tenant's name) and the e-mail's accent colour.
 *
 * @event bh-settings-save - Saved: `{ section: 'branding' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The form.
 * @csspart save-button - Save.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-branding-settings
 */
export class BackupHealthBrandingSettings extends SettingsSectionElement<'branding'> {
  protected readonly section = 'branding' as const;
  protected get heading(): string {
    return msg('Branding');
  }

  protected renderFields(value: BrandingSettings): TemplateResult {
    return html`<div class="row">
      <label class="field wide">
        <span>${msg("Your company name in e-mails (empty: the tenant's name)")}</span>
        <input type="text" name="mspName" maxlength="100" autocomplete="organization" .value=${value.mspName ?? ''} />
      </label>
      <label class="field">
        <span>${msg('Accent colour')}</span>
        <input type="color" name="accentColor" .value=${value.accentColor} />
      </label>
    </div>`;
  }

  protected readPatch(form: HTMLFormElement): Partial<BrandingSettings> {
    const read = formReader(form);
    const name = read.text('mspName');
    return { mspName: name === '' ? null : name, accentColor: read.text('accentColor') };
  }
}

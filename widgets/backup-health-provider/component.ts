import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { clientFor, type ApiClient } from '../shared/api-client.ts';
import { BhElement } from '../shared/base-element.ts';
import { apiContext, themeContext } from '../shared/contexts.ts';

/**
 * Gives every Backup Health widget inside it an API client (and so one shared live
 * stream) and a theme, so the widgets need no attributes of their own. Setting a new
 * `token` (e.g. after `bh-auth-expired`) updates every widget at once; widgets whose
 * session had expired reload.
 *
 * @example
 * <backup-health-provider api-base="https://bff.example.com" token="…" theme="dark">
 *   <backup-health-table></backup-health-table>
 *   <alert-feed></alert-feed>
 * </backup-health-provider>
 *
 * @slot - Widgets and any other content.
 * @csspart base - The wrapper around the slot.
 * @cssproperty --bh-* - Tokens set here reach every widget inside.
 * @tag backup-health-provider
 */
export class BackupHealthProvider extends BhElement {
  /** Origin of the Backup Health BFF. Empty: this page's origin. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /** Bearer token (an embed token) for every widget inside. */
  @property() token?: string;

  #client?: ApiClient;
  #apiProvider = new ContextProvider(this, { context: apiContext });
  #themeProvider = new ContextProvider(this, { context: themeContext });

  /** The client handed down, or undefined without a token. */
  get api(): ApiClient | undefined {
    return this.#client;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('apiBase') || changed.has('token')) {
      this.#client = clientFor(this.#client, this.apiBase, this.token);
      this.#apiProvider.setValue(this.#client);
    }
    // Unset, children follow an outer provider, else the viewer's colour scheme.
    this.#themeProvider.setValue(this.theme ?? this.inheritedTheme);
  }

  override render(): TemplateResult {
    return html`<div part="base" class="provider"><slot></slot></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-provider': BackupHealthProvider;
  }
}

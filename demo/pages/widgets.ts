/** Markup for the widget provider as the demo pages use it. */
import type { PageTokenKind, PageTokens } from '../tokens.ts';
import { html, type SafeHtml } from './html.ts';

export interface ProviderOptions {
  /** The API origin the widgets call (`{apiBase}/api/v1`). */
  apiBase: string;
  tokens: PageTokens;
  /** Which page's tokens `tokens.js` renews before they expire. */
  kind: PageTokenKind;
  /** Client of a client-scoped (portal) token. */
  clientId?: string;
  theme?: 'light' | 'dark' | 'auto';
  /** The widgets' language (`lang` on the provider); unset: the page's. */
  lang?: string;
  id?: string;
  className?: string;
}

/**
 * `<backup-health-provider>` around `content`, marked for token renewal
 * (`data-demo-tokens`, read by /demo/assets/tokens.js).
 */
export function provider(options: ProviderOptions, content: SafeHtml): SafeHtml {
  return html`<backup-health-provider${options.id ? html` id="${options.id}"` : ''}${options.className ? html` class="${options.className}"` : ''}
  api-base="${options.apiBase}" token="${options.tokens.token}" theme="${options.theme ?? 'light'}"${options.lang ? html` lang="${options.lang}"` : ''}
  data-demo-tokens="${options.kind}"${options.clientId ? html` data-demo-client="${options.clientId}"` : ''}>
${content}
</backup-health-provider>`;
}

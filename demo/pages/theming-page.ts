/**
 * `/theming`: light / dark / auto, and the `--bh-*` custom properties a host page sets
 * to make the widgets its own. The controls change the preview live and show the CSS.
 */
import type { PageTokens } from '../tokens.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { provider } from './widgets.ts';

/** The public design tokens (widgets/shared/theme.ts) the page lets you change. */
export const COLOR_TOKENS: readonly { name: string; label: string; light: string }[] = [
  { name: '--bh-color-accent', label: 'Accent', light: '#0969da' },
  { name: '--bh-color-surface', label: 'Surface', light: '#ffffff' },
  { name: '--bh-color-surface-alt', label: 'Surface (alternate)', light: '#f6f8fa' },
  { name: '--bh-color-text', label: 'Text', light: '#1f2328' },
  { name: '--bh-color-border', label: 'Border', light: '#d1d9e0' },
  { name: '--bh-color-healthy', label: 'Healthy', light: '#1a7f37' },
  { name: '--bh-color-warning', label: 'Warning', light: '#9a6700' },
  { name: '--bh-color-critical', label: 'Critical', light: '#d1242f' },
];

export function themingPage(options: { apiBase: string; tokens: PageTokens; sampleClientId: string | null }) {
  const body = html`
<h1>Theming</h1>
<p class="lead">The widgets render in their own shadow DOM. A host page styles them through <code>--bh-*</code> custom
properties (set on the widget, its provider or any ancestor) and <code>::part()</code>; the <code>theme</code> attribute
picks light, dark or the viewer’s preference. Status is never shown by colour alone.</p>
<div class="theming">
  <form class="theming-controls" aria-label="Theme controls" data-theming-form>
    <fieldset>
      <legend>Theme</legend>
      <label><input type="radio" name="theme" value="light" checked> Light</label>
      <label><input type="radio" name="theme" value="dark"> Dark</label>
      <label><input type="radio" name="theme" value="auto"> Auto (prefers-color-scheme)</label>
    </fieldset>
    <fieldset>
      <legend>Preset</legend>
      <select name="preset" aria-label="Preset">
        <option value="none">Widget defaults</option>
        <option value="psa">PSA purple</option>
        <option value="forest">Forest, rounded</option>
        <option value="compact">Compact, monospace</option>
      </select>
    </fieldset>
    <fieldset>
      <legend>Colours</legend>
      ${COLOR_TOKENS.map(
        (token) => html`<label class="theming-color"><input type="color" name="${token.name}" value="${token.light}" data-default="${token.light}"> <span>${token.label}</span> <code>${token.name}</code></label>`,
      )}
    </fieldset>
    <fieldset>
      <legend>Shape and type</legend>
      <label>Corner radius <input type="range" name="--bh-radius" min="0" max="16" value="6" data-unit="px"></label>
      <label>Font size <input type="range" name="--bh-font-size" min="12" max="18" value="14" data-unit="px"></label>
      <label>Font <select name="--bh-font-family">
        <option value="">System UI (default)</option>
        <option value="'Segoe UI', system-ui, sans-serif">Segoe UI</option>
        <option value="Georgia, 'Times New Roman', serif">Serif</option>
        <option value="ui-monospace, 'Cascadia Code', Menlo, monospace">Monospace</option>
      </select></label>
    </fieldset>
    <button type="reset">Reset</button>
    <h2>Your CSS</h2>
    <pre class="code"><code data-theming-css>/* Widget defaults */</code></pre>
  </form>
  <div class="theming-preview" data-theming-preview>
    ${provider(
      { apiBase: options.apiBase, tokens: options.tokens, kind: 'theming', id: 'theming-provider' },
      html`<div class="theming-grid">
  ${options.sampleClientId ? html`<backup-health-badge client="${options.sampleClientId}"></backup-health-badge>` : ''}
  <backup-health-table></backup-health-table>
  <alert-feed limit="3"></alert-feed>
</div>`,
    )}
  </div>
</div>`;
  return page({ title: 'Theming', path: '/theming', body, widgets: true, scripts: ['/demo/assets/tokens.js', '/demo/assets/theming.js'] });
}

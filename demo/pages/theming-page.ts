/**
 * `/theming`: light / dark / auto, and the `--bh-*` custom properties a host page sets
 * to make the widgets its own. The controls change the preview live and show the CSS.
 */
import type { PageTokens } from '../tokens.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { provider } from './widgets.ts';
import { DARK, LIGHT, type Palette } from '../../widgets/shared/palettes.ts';

/** The public design tokens the page lets you change, with each theme's default. */
const COLOR_TOKENS: readonly { token: keyof Palette; label: string }[] = [
  { token: 'accent', label: 'Accent' },
  { token: 'surface', label: 'Surface' },
  { token: 'surface-alt', label: 'Surface (alternate)' },
  { token: 'text', label: 'Text' },
  { token: 'border', label: 'Border' },
  { token: 'healthy', label: 'Healthy' },
  { token: 'warning', label: 'Warning' },
  { token: 'critical', label: 'Critical' },
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
        ({ token, label }) =>
          html`<label class="theming-color"><input type="color" name="--bh-color-${token}" value="${LIGHT[token]}" data-light="${LIGHT[token]}" data-dark="${DARK[token]}"> <span>${label}</span> <code>--bh-color-${token}</code></label>`,
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

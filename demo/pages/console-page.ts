/**
 * `/console`: the full dashboard as the MSP's technicians use it, with an embed token
 * (read + operate). `/console?as=admin` is the MSP admin's view: the dashboard gets
 * an admin credential and shows its Settings tab. `/console/devices/:id` (where PSA
 * tickets, pages and e-mails link) shows that device's detail above the dashboard.
 * `?lang=de` shows the widgets in German (the demo's own frame stays English).
 */
import type { PageTokens } from '../tokens.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { provider } from './widgets.ts';

export interface ConsolePageOptions {
  apiBase: string;
  tokens: PageTokens;
  admin: boolean;
  /** A device to show first (deep link). */
  device?: { id: string; name: string } | null;
  /** Extra module scripts (the lazily loaded device detail chunk). */
  scripts?: string[];
  /** The widgets' language (`de`); unset: English. */
  lang?: 'de';
}

export function consolePage(options: ConsolePageOptions) {
  const { tokens, admin, device } = options;
  const role = admin
    ? html`Viewing as <strong>MSP admin</strong> (admin credential: adds Settings) · <a href="/console">View as technician</a>`
    : html`Viewing as <strong>technician</strong> (embed token: read + operate, renewed automatically) · <a href="/console?as=admin">View as MSP admin</a>`;
  // The language switch keeps the role and the device; theme-switch.js carries the view (the hash) along.
  const query = (lang: 'en' | 'de') => [admin ? 'as=admin' : '', lang === 'de' ? 'lang=de' : ''].filter(Boolean).join('&');
  const languageLink = (lang: 'en' | 'de', label: string) =>
    html`<a href="${device ? `/console/devices/${encodeURIComponent(device.id)}` : '/console'}${query(lang) ? `?${query(lang)}` : ''}" lang="${lang}" hreflang="${lang}" data-keep-hash${(options.lang ?? 'en') === lang ? html` aria-current="true"` : ''}>${label}</a>`;
  const body = html`
<div class="console-head">
  <h1>Backups</h1>
  <p class="muted">${role}</p>
  <label class="console-theme">Theme
    <select id="console-theme">
      <option value="auto" selected>Auto (system)</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  </label>
  <nav class="console-lang" aria-label="Language">${languageLink('en', 'English')} · ${languageLink('de', 'Deutsch')}</nav>
</div>
${provider(
  { apiBase: options.apiBase, tokens, kind: admin ? 'console-admin' : 'console', id: 'console-provider', theme: 'auto', lang: options.lang },
  html`${
    device
      ? html`<section class="console-linked" aria-labelledby="linked-title">
  <div class="console-linked-bar"><h2 id="linked-title">Linked device: ${device.name}</h2><a href="/console">Close</a></div>
  <backup-health-device-detail device-id="${device.id}"></backup-health-device-detail>
</section>`
      : ''
  }<backup-health-dashboard id="dashboard" url-state="hash"></backup-health-dashboard>`,
)}`;
  return page({ title: 'Console', path: '/console', body, widgets: true, bleed: true, theme: 'auto', scripts: ['/demo/assets/tokens.js', '/demo/assets/theme-switch.js', ...(options.scripts ?? [])] });
}

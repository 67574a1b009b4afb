/** The demo's page frame: navigation between the demo pages and the seeding banner. */
import { html, type SafeHtml } from './html.ts';

export interface DemoPageLink {
  path: string;
  label: string;
  title: string;
  description: string;
}

/** Every demo page, in navigation order. */
export const DEMO_PAGES: readonly DemoPageLink[] = [
  {
    path: '/console',
    label: 'Console',
    title: 'The Backups console',
    description: 'The whole dashboard as an MSP technician uses it: Devices, Clients, Alerts and Compliance tabs, device details, acknowledging alerts, and Settings.',
  },
  {
    path: '/psa',
    label: 'In a PSA',
    title: 'Embedded in a PSA',
    description: 'The same widgets dropped into a PSA’s own layout, next to its navigation and ticket sidebar, themed to match it.',
  },
  {
    path: '/portal',
    label: 'Customer portal',
    title: 'Customer portal',
    description: 'One client’s health badge and SLA compliance, rendered with a token that can only see that client.',
  },
  {
    path: '/theming',
    label: 'Theming',
    title: 'Theming',
    description: 'Light and dark themes and the --bh-* custom properties a host page sets to match its brand.',
  },
  {
    path: '/standins/psa',
    label: 'PSA tickets',
    title: 'PSA stand-in: tickets received',
    description: 'Tickets the BFF opened (and resolved) in a stand-in of The One PSA over its real HTTP contract.',
  },
  {
    path: '/standins/oncall',
    label: 'On-Call pages',
    title: 'On-Call stand-in: pages received',
    description: 'Pages triggered and resolved for servers in SLA breach outside business hours.',
  },
  {
    path: '/standins/inbox',
    label: 'Inbox',
    title: 'SMTP inbox: the weekly e-mail',
    description: 'Mail the BFF sent over SMTP, rendered as the recipient sees it. Send the weekly summary now from here.',
  },
];

export interface PageOptions {
  title: string;
  /** The current path, to mark the navigation entry. */
  path: string;
  body: SafeHtml;
  /** Module scripts to load (same origin). */
  scripts?: string[];
  /** Loads the widget module. */
  widgets?: boolean;
  /** The body fills the viewport without the demo's padding (console, PSA). */
  bleed?: boolean;
  /** Extra class on <body>. */
  bodyClass?: string;
  /** The frame follows a theme (`auto`: the OS setting) instead of staying light. */
  theme?: 'auto' | 'light' | 'dark';
}

export function page(options: PageOptions): SafeHtml {
  const scripts = [...(options.widgets ? ['/widgets/backup-health.js'] : []), '/demo/assets/status.js', ...(options.scripts ?? [])];
  return html`<!doctype html>
<html lang="en"${options.theme ? html` data-theme="${options.theme}"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Backup Health demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/assets/demo.css">
${scripts.map((src) => html`<script type="module" src="${src}"></script>\n`)}
</head>
<body class="${options.bodyClass ?? ''}">
<header class="demo-bar">
  <a class="demo-brand" href="/"><span class="demo-logo" aria-hidden="true">◆</span> Backup Health <span class="demo-tag">demo</span></a>
  <nav aria-label="Demo pages">
    <ul>
      ${DEMO_PAGES.map(
        (link) => html`<li><a href="${link.path}"${link.path === options.path ? html` aria-current="page"` : ''}>${link.label}</a></li>`,
      )}
    </ul>
  </nav>
</header>
<div id="demo-seeding" class="demo-seeding" role="status" aria-live="polite" hidden></div>
<main id="main" class="${options.bleed ? 'demo-main demo-main--bleed' : 'demo-main'}">
${options.body}
</main>
</body>
</html>
`;
}

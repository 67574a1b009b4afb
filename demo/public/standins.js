// Live views of what the stand-ins received (/demo/standins/*.json), rendered with
// textContent only: ticket summaries and mail headers are data, never markup.
const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '—');

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
const pill = (value, variant = value) => el('span', { className: `pill pill--${String(variant).toLowerCase()}` }, String(value));
const link = (href, label) => (href ? el('a', { href }, label) : document.createTextNode(label));
const seen = new Map();

function freshness(feed, id) {
  const ids = seen.get(feed) ?? new Set();
  seen.set(feed, ids);
  const first = ids.size > 0 && !ids.has(id);
  ids.add(id);
  return first ? { 'data-fresh': '' } : {};
}

function emptyRow(columns, message) {
  return el('tr', {}, el('td', { colSpan: columns, className: 'muted' }, message));
}

const NOTE_LABELS = { note: 'Note', resolved: 'Resolved', reopened: 'Reopened' };
// A ticket's history as the PSA keeps it: notes, resolutions and reopenings, oldest first.
function ticketHistory(t) {
  const notes = t.notes || [];
  if (!notes.length) return null;
  return el(
    'ol',
    { className: 'ticket-history muted' },
    ...notes.map((n) => el('li', {}, el('strong', {}, `${NOTE_LABELS[n.kind] || n.kind} ${when(n.at)}`), n.text ? `: ${n.text}` : '')),
  );
}

const views = {
  'psa:table': (items, target) =>
    items.length
      ? items.map((t) =>
          el(
            'tr',
            freshness('psa', `${t.id}:${t.status}:${(t.notes || []).length}`),
            el('td', {}, `#${t.id}`),
            el('td', {}, pill(t.priority)),
            el('td', {}, t.type),
            el('td', {}, t.summary, ticketHistory(t)),
            el('td', {}, t.client),
            el('td', {}, link(t.jobLogUrl, t.device)),
            el('td', {}, when(t.lastSuccessfulBackupAt)),
            el('td', {}, when(t.openedAt)),
            el('td', {}, pill(t.status), t.resolvedAt ? el('div', { className: 'muted' }, when(t.resolvedAt)) : null),
          ),
        )
      : [emptyRow(target.closest('table').querySelectorAll('th').length, 'No tickets yet: they appear when a device fails three times in a row, a DR test fails, a SaaS consent expires or a backup is overdue.')],
  'psa:rail': (items, target) => {
    const limit = Number(target.dataset.standinLimit || items.length);
    return items.length
      ? items.slice(0, limit).map((t) =>
          el(
            'li',
            { className: 'psa-ticket', dataset: { status: t.status } },
            el('span', { className: `psa-priority psa-priority--${t.priority.toLowerCase()}` }, t.priority),
            el('span', {}, `#${t.id} ${t.summary}`),
            el('span', { className: 'muted' }, `${t.client} · ${t.status}`),
          ),
        )
      : [el('li', { className: 'muted' }, 'No tickets yet.')];
  },
  'oncall:table': (items, target) =>
    items.length
      ? items.map((p) =>
          el(
            'tr',
            freshness('oncall', p.id),
            el('td', {}, when(p.receivedAt)),
            el('td', {}, p.retrigger ? pill('re-trigger', 'trigger') : pill(p.action)),
            el('td', {}, p.severity),
            el('td', {}, p.summary),
            el('td', {}, p.client),
            el('td', {}, link(p.link, p.device)),
            el('td', {}, p.breachHours === null || p.breachHours === undefined ? '—' : `${p.breachHours} h`),
            el('td', {}, p.escalationPolicy),
            el('td', {}, el('code', {}, p.dedupKey)),
          ),
        )
      : [emptyRow(target.closest('table').querySelectorAll('th').length, 'No pages yet: a server pages after 6 h in SLA breach outside business hours.')],
  'inbox:list': (items) => {
    if (!items.length) return [el('li', { className: 'muted' }, 'No mail yet. Send the weekly report now.')];
    if (!inbox.selected || !items.some((m) => m.id === inbox.selected)) inbox.selected = items[0].id;
    inbox.items = items;
    showMail();
    return items.map((m) =>
      el(
        'li',
        {},
        el(
          'button',
          { type: 'button', 'aria-current': String(m.id === inbox.selected), onclick: () => ((inbox.selected = m.id), refresh()) },
          el('strong', {}, m.subject || '(no subject)'),
          el('span', { className: 'muted' }, `${(m.to || []).join(', ')} · ${when(m.receivedAt)}`),
        ),
      ),
    );
  },
};

const inbox = { selected: null, shown: null, part: 'html', items: [] };
function showMail() {
  const mail = inbox.items.find((m) => m.id === inbox.selected);
  const frame = document.querySelector('[data-inbox-frame]');
  const textView = document.querySelector('[data-inbox-text]');
  const meta = document.querySelector('[data-inbox-meta]');
  if (!mail || !frame) return;
  if (inbox.shown !== mail.id) {
    inbox.shown = mail.id;
    meta.replaceChildren(
      el(
        'dl',
        {},
        el('dt', {}, 'From'), el('dd', {}, mail.from || '—'),
        el('dt', {}, 'To'), el('dd', {}, (mail.to || []).join(', ')),
        el('dt', {}, 'Subject'), el('dd', {}, mail.subject || '(no subject)'),
        el('dt', {}, 'Received'), el('dd', {}, when(mail.receivedAt)),
      ),
    );
    // srcdoc in a sandbox without allow-scripts / allow-same-origin: the mail's HTML is
    // rendered but cannot run code or reach this page.
    frame.srcdoc = mail.html || '<p style="font-family:sans-serif">This message has no HTML part.</p>';
    textView.textContent = mail.text || '(no plain-text part)';
  }
  frame.hidden = inbox.part !== 'html';
  textView.hidden = inbox.part !== 'text';
}
for (const button of document.querySelectorAll('[data-inbox-part]')) {
  button.addEventListener('click', () => {
    inbox.part = button.dataset.inboxPart;
    for (const b of document.querySelectorAll('[data-inbox-part]')) b.setAttribute('aria-pressed', String(b === button));
    showMail();
  });
}

const targets = [...document.querySelectorAll('[data-standin-feed]')];
async function refresh() {
  const feeds = [...new Set(targets.map((t) => t.dataset.standinFeed))];
  await Promise.all(
    feeds.map(async (feed) => {
      try {
        const response = await fetch(`/demo/standins/${feed}.json`, { cache: 'no-store' });
        if (!response.ok) return;
        const { items } = await response.json();
        for (const target of targets.filter((t) => t.dataset.standinFeed === feed)) {
          target.replaceChildren(...views[`${feed}:${target.dataset.standinView}`](items, target));
        }
        if (feed === 'psa') {
          const open = items.filter((t) => t.status !== 'resolved').length;
          for (const count of document.querySelectorAll('[data-psa-open-count]')) count.textContent = String(open);
        }
      } catch {
        // The demo may be restarting; the next refresh catches up.
      }
    }),
  );
}

if (targets.length) {
  refresh();
  setInterval(refresh, 2000);
  document.addEventListener('demo-action', () => setTimeout(refresh, 700));
}

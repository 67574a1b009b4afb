import { expect, html } from '@open-wc/testing';
import type { AlertItem, DeviceItem, Page } from '../../core/api.ts';
import '../../widgets/alert-feed/index.ts';
import type { AlertFeed } from '../../widgets/alert-feed/component.ts';
import { timelineNote } from '../../widgets/alert-feed/alert-timeline.ts';
import { formatDateTime } from '../../widgets/shared/format.ts';
import { ALERT_TYPE_LABELS, SEVERITY_LABELS } from '../../widgets/shared/labels.ts';
import { $, $$, apiGet, choose, expectAccessible, ingest, mount, nextEvent, testEnv, text, until, uniqueId, type TestEnv } from './support.ts';

const cards = (feed: AlertFeed) => $$(feed, '[part~="alert"]');
const card = (feed: AlertFeed, alertId: string) => $(feed, `[data-alert="${alertId}"]`);

describe('<alert-feed>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${env.apiBase}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${env.tokens.admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.ok, `POST ${path}`).to.be.true;
  }

  async function mountFeed(token = env.tokens.operate): Promise<AlertFeed> {
    const feed = await mount<AlertFeed>(html`<alert-feed api-base=${env.apiBase} token=${token}></alert-feed>`);
    await feed.loadComplete;
    await until(() => cards(feed).length > 0 || $(feed, '[part~="empty"], [part~="error"], [part~="auth-expired"]'), 'feed rendered');
    return feed;
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    await expectAccessible(await mountFeed());
  });

  it('shows each active alert: severity as icon and word, type, device, client, trigger time and the recommended action', async () => {
    const feed = await mountFeed();
    const alert = feed.alerts[0]!;
    const rendered = card(feed, alert.id)!;
    const severity = rendered.querySelector('[part~="status"]')!;
    expect(severity.querySelector('svg')).to.exist;
    expect(text(severity)).to.equal(SEVERITY_LABELS[alert.severity]);
    expect(text(rendered)).to.contain(ALERT_TYPE_LABELS[alert.type]).and.contain(alert.device.name).and.contain(alert.client.name).and.contain(alert.recommendedAction);
    expect(rendered.querySelector('time')!.getAttribute('datetime')).to.equal(alert.triggeredAt);
    expect(feed.alerts.every((item) => item.state !== 'resolved')).to.be.true;
  });

  it('filters by severity, state and type through the API', async () => {
    const feed = await mountFeed();
    choose(feed, 'Severity', 'critical');
    await until(() => feed.alerts.length > 0 && feed.alerts.every((alert) => alert.severity === 'critical'), 'critical only');
    choose(feed, 'Severity', '');
    choose(feed, 'State', 'resolved');
    await until(() => feed.alerts.length > 0 && feed.alerts.every((alert) => alert.state === 'resolved'), 'resolved only');
    const expected = (await apiGet<Page<AlertItem>>('/alerts?state=resolved&limit=50')).items.map((alert) => alert.id);
    expect(feed.alerts.map((alert) => alert.id)).to.have.members(expected);
    choose(feed, 'State', 'active');
    choose(feed, 'Type', 'backup_failed');
    await until(() => feed.alerts.every((alert) => alert.type === 'backup_failed' && alert.state !== 'resolved'), 'one type');
  });

  /** Opens an alert's note form ("Acknowledge…" or "Unacknowledge…") and answers it. */
  async function openNoteForm(feed: AlertFeed, alertId: string, part: 'acknowledge-button' | 'unacknowledge-button') {
    card(feed, alertId)!.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!.click();
    await until(() => card(feed, alertId)?.querySelector('bh-acknowledge-form')?.shadowRoot?.querySelector('textarea'), 'note form open');
    return card(feed, alertId)!.querySelector('bh-acknowledge-form')!;
  }

  it('acknowledges an open alert with a note: who, when and the note are shown and stored; bh-alert-acknowledge is emitted', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const open = feed.alerts.find((alert) => alert.state === 'open')!;
    const form = await openNoteForm(feed, open.id, 'acknowledge-button');
    // The note field takes the focus: type, then Enter on the button.
    const note = form.shadowRoot!.querySelector('textarea')!;
    expect(form.shadowRoot!.activeElement === note, 'focus in the note').to.be.true;
    expect(text(note.closest('label'))).to.contain('Note (optional');
    const written = uniqueId('On it, replacing disk');
    note.value = written;
    setTimeout(() => $<HTMLButtonElement>(form, '[part~="acknowledge-submit"]')!.click());
    const event = await nextEvent(feed, 'bh-alert-acknowledge');
    expect(event.detail).to.deep.equal({ alertId: open.id });
    expect(event.bubbles && event.composed).to.be.true;
    await until(() => card(feed, open.id)?.dataset.state === 'acknowledged', 'shown acknowledged');
    const stored = await apiGet<AlertItem>(`/alerts/${open.id}`);
    expect(stored.state).to.equal('acknowledged');
    expect(stored.acknowledgementNote).to.equal(written);
    expect(stored.acknowledgedBy).to.be.a('string').and.not.empty;
    const shown = card(feed, open.id)!.querySelector('[part~="acknowledged"]')!;
    expect(text(shown)).to.satisfy((words: string) => words.startsWith(`Acknowledged by ${stored.acknowledgedBy} `) && words.endsWith(` — ${written}`));
    expect(shown.querySelector('time')!.getAttribute('datetime')).to.equal(stored.acknowledgedAt);
    expect(card(feed, open.id)!.querySelector('[part~="acknowledge-button"]')).to.be.null;
    expect(card(feed, open.id)!.querySelector('bh-acknowledge-form')).to.be.null;
    expect(text($(feed, '[part~="announcer"]'))).to.contain('Acknowledged');
  });

  it('unacknowledges an acknowledged alert with a note: it is open again, in the feed and the API', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const open = feed.alerts.find((alert) => alert.state === 'open')!;
    await post(`/alerts/${open.id}/acknowledge`, { note: 'Looking' });
    feed.alertState = 'acknowledged';
    await feed.updateComplete;
    await feed.loadComplete;
    await until(() => card(feed, open.id)?.querySelector('[part~="unacknowledge-button"]'), 'acknowledged alert listed');
    const form = await openNoteForm(feed, open.id, 'unacknowledge-button');
    form.shadowRoot!.querySelector('textarea')!.value = 'Not fixed after all';
    $<HTMLButtonElement>(form, '[part~="acknowledge-submit"]')!.click();
    await until(() => card(feed, open.id)?.dataset.state === 'open', 'shown open again');
    expect(card(feed, open.id)!.querySelector('[part~="acknowledged"]')).to.be.null;
    expect(card(feed, open.id)!.querySelector('[part~="acknowledge-button"]')).to.exist;
    expect(text($(feed, '[part~="announcer"]'))).to.contain('Unacknowledged');
    const stored = await apiGet<AlertItem>(`/alerts/${open.id}`);
    expect(stored.state).to.equal('open');
    expect(stored.history!.at(-1)).to.include({ action: 'unacknowledged', note: 'Not fixed after all' });
  });

  it('Cancel (or Escape) closes the note form without acknowledging and gives the focus back to the button', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const open = feed.alerts.find((alert) => alert.state === 'open')!;
    const form = await openNoteForm(feed, open.id, 'acknowledge-button');
    await expectAccessible(feed);
    form.shadowRoot!.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await until(() => !card(feed, open.id)?.querySelector('bh-acknowledge-form'), 'form closed');
    // (Compared as a boolean: chai's diff of two elements is slow enough to time out.)
    expect(feed.shadowRoot!.activeElement === card(feed, open.id)!.querySelector('[part~="acknowledge-button"]'), `focus on ${feed.shadowRoot!.activeElement?.outerHTML}`).to.be.true;
    expect((await apiGet<AlertItem>(`/alerts/${open.id}`)).state).to.equal('open');
  });

  it('acknowledges the selected alerts at once with a note and sums up the outcome per alert', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const [first, second, third] = feed.alerts.filter((alert) => alert.state === 'open');
    // One of the three is already acknowledged (elsewhere): it answers "unchanged".
    await post(`/alerts/${third!.id}/acknowledge`, {});
    const box = (id: string) => card(feed, id)!.querySelector<HTMLInputElement>('[part~="select"]')!;
    expect(box(first!.id).getAttribute('aria-label')).to.contain(first!.device.name);
    for (const alert of [first!, second!, third!]) box(alert.id).click();
    await until(() => $(feed, 'bh-bulk-acknowledge')?.shadowRoot?.querySelector('[part~="bulk-acknowledge"]'), 'bulk bar shown');
    const bar = $(feed, 'bh-bulk-acknowledge')!;
    const submit = $<HTMLButtonElement>(bar, '[part~="bulk-acknowledge"]')!;
    expect(text(submit)).to.equal('Acknowledge selected (3)');
    expect($<HTMLInputElement>(feed, '[part~="select-all"]')!.indeterminate).to.be.true;
    await expectAccessible(feed);
    $<HTMLInputElement>(bar, '[part~="bulk-note"]')!.value = 'Storage vendor incident';
    const acknowledged: string[] = [];
    feed.addEventListener('bh-alert-acknowledge', (event) => acknowledged.push(event.detail.alertId));
    submit.click();
    await until(() => $(feed, '[part~="bulk-summary"]'), 'summary shown');
    expect(text($(feed, '[part~="bulk-summary"]'))).to.equal('2 acknowledged, 1 already acknowledged.');
    expect(text($(feed, '[part~="announcer"]'))).to.contain('2 acknowledged, 1 already acknowledged');
    expect(acknowledged).to.have.members([first!.id, second!.id]);
    expect($(feed, 'bh-bulk-acknowledge')).to.be.null;
    for (const alert of [first!, second!]) {
      expect(card(feed, alert.id)!.dataset.state).to.equal('acknowledged');
      expect((await apiGet<AlertItem>(`/alerts/${alert.id}`)).acknowledgementNote).to.equal('Storage vendor incident');
    }
  });

  it('"Select all shown" ticks every unresolved alert listed, and unticks them', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const all = $<HTMLInputElement>(feed, '[part~="select-all"]')!;
    expect(text(all.closest('label'))).to.equal('Select all shown');
    all.click();
    const unresolved = feed.alerts.filter((alert) => alert.state !== 'resolved').length;
    await until(() => $(feed, 'bh-bulk-acknowledge')?.shadowRoot?.querySelector('[part~="bulk-acknowledge"]'), 'bulk bar shown');
    expect(text($($(feed, 'bh-bulk-acknowledge')!, '[part~="bulk-acknowledge"]'))).to.equal(`Acknowledge selected (${unresolved})`);
    expect($$<HTMLInputElement>(feed, '[part~="select"]').every((box) => box.checked)).to.be.true;
    all.click();
    await until(() => !$(feed, 'bh-bulk-acknowledge'), 'bar gone');
    expect($$<HTMLInputElement>(feed, '[part~="select"]').some((box) => box.checked)).to.be.false;
    // Other filters, another list: a selection never covers alerts no longer shown.
    $<HTMLInputElement>(feed, '[part~="select"]')!.click();
    await until(() => $(feed, 'bh-bulk-acknowledge'), 'bar shown');
    choose(feed, 'Severity', 'critical');
    await until(() => !$(feed, 'bh-bulk-acknowledge'), 'selection cleared with the new list');
  });

  it('expands an alert into its history: a list of timed steps with who took them and their notes', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const open = feed.alerts.find((alert) => alert.state === 'open')!;
    await post(`/alerts/${open.id}/acknowledge`, { note: 'Ticket 4711' });
    const stored = await apiGet<AlertItem>(`/alerts/${open.id}`);
    feed.alertState = '';
    await feed.updateComplete;
    await feed.loadComplete;
    await until(() => card(feed, open.id)?.dataset.state === 'acknowledged', 'acknowledged alert listed');
    const button = card(feed, open.id)!.querySelector<HTMLButtonElement>('[part~="history-button"]')!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const region = feed.shadowRoot!.getElementById(button.getAttribute('aria-controls')!)!;
    expect(region.hidden).to.be.true;
    button.click();
    await until(() => region.querySelector('bh-alert-timeline')?.shadowRoot?.querySelector('ol'), 'timeline shown');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(region.hidden).to.be.false;
    const entries = $$(region.querySelector('bh-alert-timeline')!, '[part~="timeline-entry"]');
    expect(entries.map((entry) => entry.dataset.action)).to.deep.equal(stored.history!.map((step) => step.action));
    expect(entries[0]!.dataset.action).to.equal('opened');
    expect(text(entries[0])).to.contain('automatically');
    const acknowledged = entries.at(-1)!;
    expect(acknowledged.dataset.action).to.equal('acknowledged');
    expect(text(acknowledged)).to.contain('Acknowledged').and.contain(`by ${stored.history!.at(-1)!.by}`).and.contain('Ticket 4711');
    expect(acknowledged.querySelector('time')!.getAttribute('datetime')).to.equal(stored.history!.at(-1)!.at);
    await expectAccessible(feed);
    button.click();
    await until(() => region.hidden, 'collapsed');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
  });

  it('links each alert to its device: emits bh-device-select and opens the device detail in a dialog', async () => {
    const feed = await mountFeed(env.tokens.read);
    const alert = feed.alerts[0]!;
    const link = card(feed, alert.id)!.querySelector<HTMLButtonElement>('[part~="device-link"]')!;
    expect(text(link)).to.equal(alert.device.name);
    setTimeout(() => link.click());
    const event = await nextEvent(feed, 'bh-device-select');
    expect(event.detail).to.deep.equal({ deviceId: alert.device.id });
    expect(event.composed).to.be.true;
    await until(() => $(feed, 'bh-alert-device-dialog')?.shadowRoot?.querySelector('dialog[open] backup-health-device-detail'), 'device dialog open');
    const dialog = $(feed, 'bh-alert-device-dialog')!;
    const detail = $(dialog, 'backup-health-device-detail')!;
    expect(detail.getAttribute('device-id')).to.equal(alert.device.id);
    await until(() => (detail.shadowRoot?.textContent ?? '').includes(alert.device.name), 'device detail loaded');
    await expectAccessible(feed);
    $<HTMLButtonElement>(dialog, '[part~="device-close"]')!.click();
    await until(() => !$(feed, 'bh-alert-device-dialog'), 'dialog closed');
    expect(feed.shadowRoot!.activeElement === card(feed, alert.id)!.querySelector('[part~="device-link"]'), 'focus back on the device link').to.be.true;
  });

  it('offers no Acknowledge, Silence… or selection to a read-only token', async () => {
    const feed = await mountFeed(env.tokens.read);
    expect(feed.alerts.some((alert) => alert.state === 'open')).to.be.true;
    expect($(feed, '[part~="acknowledge-button"]')).to.be.null;
    expect($(feed, '[part~="silence-button"]')).to.be.null;
    expect($(feed, '[part~="select"], [part~="select-all"]')).to.be.null;
    // Reading the history and opening the device are for everyone.
    expect($(feed, '[part~="history-button"]')).to.exist;
    expect($(feed, '[part~="device-link"]')).to.exist;
  });

  it('silences from an alert: matchers prefilled from it (each can be unticked), a duration preset and a required comment; then shows "Silenced until …"', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const alert = feed.alerts.find((item) => item.state !== 'resolved' && item.silencedBy.length === 0)!;
    card(feed, alert.id)!.querySelector<HTMLButtonElement>('[part~="silence-button"]')!.click();
    await until(() => $(feed, 'bh-silence-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'dialog open');
    const dialog = $(feed, 'bh-silence-dialog')!;
    await expectAccessible(feed);
    const box = (name: string) => $<HTMLInputElement>(dialog, `input[name="${name}"]`)!;
    expect([box('clientId'), box('deviceId'), box('type')].map((input) => input.checked)).to.deep.equal([true, true, true]);
    expect(text(box('clientId').closest('label'))).to.equal(`Client ${alert.client.name}`);
    expect(text(box('deviceId').closest('label'))).to.equal(`Device ${alert.device.name}`);
    expect(text(box('type').closest('label'))).to.equal(`Type ${ALERT_TYPE_LABELS[alert.type]}`);
    box('clientId').checked = false;
    $<HTMLInputElement>(dialog, 'input[name="preset"][value="1d"]')!.click();
    // The comment is required: nothing is sent without one.
    const submit = $<HTMLButtonElement>(dialog, '[part~="silence-submit"]')!;
    const comment = $<HTMLTextAreaElement>(dialog, 'textarea[name="comment"]')!;
    expect(comment.required).to.be.true;
    const note = uniqueId('Replacing the backup disk');
    comment.value = note;
    const before = Date.now();
    setTimeout(() => submit.click());
    const event = await nextEvent(feed, 'bh-silence-create');
    expect(event.detail.alertId).to.equal(alert.id);
    const silence = (await apiGet<Page<{ id: string; matchers: unknown; endsAt: string; comment: string }>>('/silences?state=active&limit=100')).items.find((item) => item.id === event.detail.silenceId)!;
    expect(silence.matchers).to.deep.equal({ deviceId: alert.device.id, type: alert.type });
    expect(silence.comment).to.equal(note);
    expect(Date.parse(silence.endsAt) - before).to.be.within(24 * 3_600_000 - 60_000, 24 * 3_600_000 + 60_000);
    await until(() => !$(feed, 'bh-silence-dialog'), 'dialog closed');
    await until(() => card(feed, alert.id)?.querySelector('[part~="silenced"] time'), 'shown silenced');
    const silenced = card(feed, alert.id)!.querySelector('[part~="silenced"]')!;
    expect(text(silenced)).to.match(/^Silenced until /);
    expect(silenced.querySelector('time')!.getAttribute('datetime')).to.equal(silence.endsAt);
    // Focus goes back to the alert the dialog was opened from.
    expect(card(feed, alert.id)!.contains(feed.shadowRoot!.activeElement)).to.be.true;

    // Whoever silenced by mistake can lift it here (Settings is for admins).
    card(feed, alert.id)!.querySelector<HTMLButtonElement>('[part~="lift-silence-button"]')!.click();
    await until(() => !card(feed, alert.id)?.querySelector('[part~="silenced"]'), 'no longer silenced');
    expect(card(feed, alert.id)!.querySelector('[part~="lift-silence-button"]')).to.be.null;
    const lifted = (await apiGet<Page<{ id: string }>>('/silences?state=expired&limit=100')).items.some((item) => item.id === silence.id);
    expect(lifted, 'the silence is expired').to.be.true;
  });

  it('shows "session expired" and fires bh-auth-expired on a 401', async () => {
    const mounting = mount<AlertFeed>(html`<alert-feed api-base=${env.apiBase} token=${env.tokens.expired}></alert-feed>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const feed = await mounting;
    expect(event.composed).to.be.true;
    await until(() => $(feed, '[part~="auth-expired"]'), 'expired state');
    expect(text($(feed, '[part~="auth-expired"]'))).to.contain('Your session has expired');
    feed.token = env.tokens.read;
    await until(() => cards(feed).length > 0, 'alerts after a new token');
  });

  it('adds new alerts from the stream without a reload and announces them politely', async () => {
    const feed = await mountFeed();
    await until(() => feed.api?.stream.connected, 'stream connected');
    const announcer = $(feed, '[part~="announcer"]')!;
    expect(announcer.getAttribute('aria-live')).to.equal('polite');
    const healthy = (await apiGet<Page<DeviceItem>>('/devices?status=healthy&sort=name&order=asc&limit=1')).items[0]!;
    const at = new Date(Date.now() - 60_000).toISOString();
    await ingest([{ type: 'job', id: uniqueId('job'), deviceId: healthy.id, status: 'failed', startedAt: at, endedAt: at, message: 'Test failure' }]);
    await until(() => feed.alerts.some((alert) => alert.device.id === healthy.id && alert.type === 'backup_failed'), 'new alert in the feed');
    await until(() => text(announcer).includes(healthy.name), 'announced');
    expect(text(announcer)).to.contain(ALERT_TYPE_LABELS.backup_failed);
  });

  it('shows when a silence made elsewhere ends on an alert arriving from the stream', async () => {
    const feed = await mountFeed();
    await until(() => feed.api?.stream.connected, 'stream connected');
    const healthy = (await apiGet<Page<DeviceItem>>('/devices?status=healthy&sort=name&order=desc&limit=1')).items[0]!;
    const response = await fetch(`${env.apiBase}/api/v1/silences`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ matchers: { deviceId: healthy.id }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: 'Disk swap' }),
    });
    const silence = (await response.json()) as { id: string; endsAt: string };
    const at = new Date(Date.now() - 60_000).toISOString();
    await ingest([{ type: 'job', id: uniqueId('job'), deviceId: healthy.id, status: 'failed', startedAt: at, endedAt: at, message: 'Test failure' }]);
    await until(() => feed.alerts.some((alert) => alert.device.id === healthy.id && alert.silencedBy.includes(silence.id)), 'silenced alert in the feed');
    const alert = feed.alerts.find((item) => item.device.id === healthy.id)!;
    await until(() => card(feed, alert.id)?.querySelector('[part~="silenced"] time'), 'its end shown');
    expect(card(feed, alert.id)!.querySelector('[part~="silenced"] time')!.getAttribute('datetime')).to.equal(silence.endsAt);
  });
});

describe('<bh-alert-timeline> notes', () => {
  it("restates the product's own notes in the view's zone and keeps a person's note as typed", () => {
    const automatic = timelineNote({ by: null, note: 'run due 2026-12-03 14:00 UTC missed' }, 'America/Chicago');
    expect(automatic).to.equal(`run due ${formatDateTime('2026-12-03T14:00:00Z', 'America/Chicago')} missed`);
    expect(automatic).not.to.contain('UTC');
    expect(timelineNote({ by: 'tech@msp.example', note: 'restarted at 2026-12-03 14:00 UTC' }, 'America/Chicago')).to.equal('restarted at 2026-12-03 14:00 UTC');
  });
});

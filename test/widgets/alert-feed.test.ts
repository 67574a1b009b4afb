import { expect, html } from '@open-wc/testing';
import type { AlertItem, DeviceItem, Page } from '../../core/api.ts';
import '../../widgets/alert-feed/index.ts';
import type { AlertFeed } from '../../widgets/alert-feed/component.ts';
import { ALERT_TYPE_LABELS, SEVERITY_LABELS } from '../../widgets/shared/labels.ts';
import { $, $$, apiGet, choose, expectAccessible, ingest, mount, nextEvent, testEnv, text, until, uniqueId, type TestEnv } from './support.ts';

const cards = (feed: AlertFeed) => $$(feed, '[part~="alert"]');
const card = (feed: AlertFeed, alertId: string) => $(feed, `[data-alert="${alertId}"]`);

describe('<alert-feed>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

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

  it('acknowledges an open alert with the operate scope, then emits bh-alert-acknowledge', async () => {
    const feed = await mountFeed(env.tokens.operate);
    const open = feed.alerts.find((alert) => alert.state === 'open')!;
    const button = card(feed, open.id)!.querySelector<HTMLButtonElement>('[part~="acknowledge-button"]')!;
    setTimeout(() => button.click());
    const event = await nextEvent(feed, 'bh-alert-acknowledge');
    expect(event.detail).to.deep.equal({ alertId: open.id });
    expect(event.bubbles && event.composed).to.be.true;
    await until(() => card(feed, open.id)?.dataset.state === 'acknowledged', 'shown acknowledged');
    expect(card(feed, open.id)!.querySelector('[part~="acknowledge-button"]')).to.be.null;
    expect(text($(feed, '[part~="announcer"]'))).to.contain('Acknowledged');
    const stored = (await apiGet<Page<AlertItem>>('/alerts?state=acknowledged&limit=500')).items.map((alert) => alert.id);
    expect(stored).to.include(open.id);
  });

  it('offers no Acknowledge or Silence… button to a read-only token', async () => {
    const feed = await mountFeed(env.tokens.read);
    expect(feed.alerts.some((alert) => alert.state === 'open')).to.be.true;
    expect($(feed, '[part~="acknowledge-button"]')).to.be.null;
    expect($(feed, '[part~="silence-button"]')).to.be.null;
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
    await fetch(`${env.apiBase}/api/v1/silences/${silence.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${env.tokens.admin}` } });
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

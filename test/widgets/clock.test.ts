/**
 * One clock in every view (docs/reports.md): every time a widget shows is in one stated
 * timezone — the tenant's, or the client's in a client view — labelled, and relative
 * times follow the one rounding rule of the reasons ("5 d" beside "5 days ago").
 */
import { expect, html } from '@open-wc/testing';
import '../../widgets/backup-health-table/index.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import type { ClientItem, DeviceListItem, Me, Page } from '../../core/api.ts';
import { formatDate, formatDateTime, formatRelativeTime, formatTime, inViewTimeZone, localDay } from '../../widgets/shared/format.ts';
import { fromZonedInput, zonedInputValue } from '../../widgets/shared/zoned-input.ts';
import { $$, apiGet, mount, testEnv, until, type TestEnv } from './support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the shared clock formatters', () => {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const now = Date.UTC(2026, 10, 24, 12);
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('rounds relative times down, as the reasons do: 5 d 23 h is "5 days ago", never 6', () => {
    expect(formatRelativeTime(ago(5 * DAY + 23 * HOUR), now)).to.equal(rtf.format(-5, 'day'));
    expect(formatRelativeTime(ago(2 * HOUR + 59 * 60_000), now)).to.equal(rtf.format(-2, 'hour'));
  });

  it('counts hours until 72 h and days from then on, like the reasons', () => {
    expect(formatRelativeTime(ago(71 * HOUR), now)).to.equal(rtf.format(-71, 'hour'));
    expect(formatRelativeTime(ago(72 * HOUR), now)).to.equal(rtf.format(-3, 'day'));
    expect(formatRelativeTime(new Date(now + 50 * HOUR).toISOString(), now)).to.equal(rtf.format(50, 'hour'));
  });

  it('reads under a minute either way as "now"', () => {
    expect(formatRelativeTime(ago(59_000), now)).to.equal(rtf.format(0, 'second'));
    expect(formatRelativeTime(new Date(now + 30_000).toISOString(), now)).to.equal(rtf.format(0, 'second'));
  });

  it("states an absolute time in the view's timezone with the zone's label", () => {
    const at = '2026-11-24T21:00:00Z';
    expect(formatDateTime(at, 'Europe/Berlin', '—', 'en-GB')).to.equal('24 Nov 2026, 22:00 CET');
    expect(formatDateTime(at, 'UTC', '—', 'en-GB')).to.equal('24 Nov 2026, 21:00 UTC');
    expect(formatTime(at, 'Europe/Berlin', '—', 'en-GB')).to.equal('22:00 CET');
    expect(formatDateTime(null, 'UTC')).to.equal('—');
  });

  it("a day is the view's day: 23:30 UTC is already the next day in Berlin", () => {
    const at = '2026-11-24T23:30:00Z';
    expect(formatDate(at, 'Europe/Berlin', '—', 'en-GB')).to.equal('25 Nov 2026');
    expect(formatDate(at, 'UTC', '—', 'en-GB')).to.equal('24 Nov 2026');
    expect(localDay(Date.parse(at), 'Europe/Berlin')).to.equal('2026-11-25');
  });

  it("an unknown timezone reads as UTC rather than breaking the view", () => {
    expect(formatDateTime('2026-11-24T21:00:00Z', 'Mars/Olympus', '—', 'en-GB')).to.equal('24 Nov 2026, 21:00 UTC');
  });

  it("restates the UTC times of a reason in the view's zone, labelled", () => {
    const reason = 'No successful backup for 5 d (last 2026-11-19 04:00 UTC).';
    expect(inViewTimeZone(reason, 'America/New_York')).to.equal(`No successful backup for 5 d (last ${formatDateTime('2026-11-19T04:00:00Z', 'America/New_York')}).`);
    expect(inViewTimeZone(reason, 'America/New_York')).to.not.contain('UTC');
  });
});

describe('date-time inputs in the view\'s timezone', () => {
  it("a time typed in a form is read in the view's zone, not the browser's", () => {
    expect(fromZonedInput('2026-11-24T22:00', 'Europe/Berlin')).to.equal('2026-11-24T21:00:00.000Z');
    expect(fromZonedInput('2026-07-01T22:00', 'Europe/Berlin')).to.equal('2026-07-01T20:00:00.000Z');
    expect(fromZonedInput('', 'Europe/Berlin')).to.equal('');
  });

  it('an instant fills the input with its wall time in the zone, and reads back the same', () => {
    expect(zonedInputValue('2026-11-24T21:00:00Z', 'Europe/Berlin')).to.equal('2026-11-24T22:00');
    expect(fromZonedInput(zonedInputValue('2026-10-25T00:30:00Z', 'Europe/Berlin'), 'Europe/Berlin')).to.equal('2026-10-25T00:30:00.000Z');
  });
});

describe('the timezone a view states its times in', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function lastSuccessTitles(client: string): Promise<{ table: BackupHealthTable; titles: () => string[] }> {
    const table = await mount<BackupHealthTable>(html`<backup-health-table api-base=${env.apiBase} token=${env.tokens.read} client=${client}></backup-health-table>`);
    await table.loadComplete;
    const titles = () => $$(table, '[role="row"] [data-column="lastSuccessAt"] time').map((time) => time.getAttribute('title') ?? '');
    await until(() => titles().length > 0, 'rows with a last success');
    return { table, titles };
  }

  it("the device table states times in the tenant's timezone (/me), labelled", async () => {
    const me = await apiGet<Me>('/me', env.tokens.read);
    const { table, titles } = await lastSuccessTitles('');
    const rows = (table.rows as DeviceListItem[]).filter((device) => device.lastSuccessAt);
    await until(() => titles()[0] === formatDateTime(rows[0]!.lastSuccessAt, me.timezone), "times in the tenant's zone");
  });

  it("drilled into one client, the table states times in that client's timezone", async () => {
    const clients = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items;
    const zoned = clients.find((client) => client.timezone !== 'UTC' && client.total > 0);
    expect(zoned, 'a seeded client with a timezone of its own').to.exist;
    const { table, titles } = await lastSuccessTitles(zoned!.id);
    const rows = (table.rows as DeviceListItem[]).filter((device) => device.lastSuccessAt);
    const expected = formatDateTime(rows[0]!.lastSuccessAt, zoned!.timezone);
    expect(expected).to.not.equal(formatDateTime(rows[0]!.lastSuccessAt, 'UTC'));
    await until(() => titles()[0] === expected, "times in the client's zone");
  });

  it("a client-scoped token's views are in its client's timezone", async () => {
    const me = await apiGet<Me>('/me', env.clientScoped.token);
    const client = await apiGet<ClientItem>(`/clients/${env.clientScoped.clientId}`);
    expect(me.timezone).to.equal(client.timezone);
  });
});

import { expect, html } from '@open-wc/testing';
import type { ClientItem, DeviceItem, Page } from '../../core/api.ts';
import '../../widgets/backup-health-badge/index.ts';
import type { BackupHealthBadge } from '../../widgets/backup-health-badge/component.ts';
import { formatPercent } from '../../widgets/shared/format.ts';
import { STATUS_LABELS } from '../../widgets/shared/labels.ts';
import { clientVerdict } from '../../core/client-status.ts';
import { $, apiGet, countRequests, expectAccessible, ingest, mount, nextEvent, testEnv, text, until, type TestEnv } from './support.ts';

describe('<backup-health-badge>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountBadge(token: string, client?: string): Promise<BackupHealthBadge> {
    const badge = await mount<BackupHealthBadge>(html`<backup-health-badge api-base=${env.apiBase} token=${token} client=${client ?? ''}></backup-health-badge>`);
    await until(() => $(badge, '[part~="name"], [part~="error"], [part~="auth-expired"]'), 'badge rendered');
    return badge;
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    await expectAccessible(await mountBadge(env.clientScoped.token));
  });

  it("shows the client's worst status as icon and word, its compliance and device count", async () => {
    const clients = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items;
    const client = clients.find((candidate) => candidate.counts.critical + candidate.counts.warning > 0) ?? clients[0]!;
    const badge = await mountBadge(env.tokens.read, client.id);
    const status = $(badge, '[part~="status"]')!;
    expect(status.querySelector('svg')).to.exist;
    const verdict = clientVerdict(client.counts, client.compliance);
    expect(text(status)).to.equal(STATUS_LABELS[verdict.status]);
    // The headline and the figures agree: a status other than Healthy says why.
    if (verdict.status !== 'healthy') expect(text($(badge, '[part~="attention"]'))).to.match(/need|outside the SLA/);
    expect(text($(badge, '[part~="name"]'))).to.equal(client.name);
    expect(text($(badge, '[part~="compliance"]'))).to.contain(formatPercent(client.compliance.percent));
    expect(text($(badge, '[part~="devices"]'))).to.contain(String(client.total));
  });

  it('never says Healthy beside devices outside the SLA', async () => {
    const clients = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items;
    const inBreach = clients.filter((candidate) => candidate.compliance.breach > 0);
    expect(inBreach.length, 'the test fleet has clients with devices in breach').to.be.greaterThan(0);
    for (const client of inBreach.slice(0, 2)) {
      const badge = await mountBadge(env.tokens.read, client.id);
      expect(text($(badge, '[part~="status"]'))).to.not.equal(STATUS_LABELS.healthy);
      expect(text($(badge, '[part~="attention"]'))).to.contain(`${client.compliance.breach} device`).and.contain('outside the SLA');
    }
  });

  it("shows a client-scoped token's own client without a client attribute", async () => {
    const badge = await mountBadge(env.clientScoped.token);
    const client = await apiGet<ClientItem>(`/clients/${env.clientScoped.clientId}`, env.clientScoped.token);
    expect(text($(badge, '[part~="name"]'))).to.equal(client.name);
  });

  it("explains the problem when a client-scoped token asks for another client, with a Retry button", async () => {
    const other = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items.find((client) => client.id !== env.clientScoped.clientId)!;
    const badge = await mountBadge(env.clientScoped.token, other.id);
    const error = $(badge, '[part~="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.contain('Not found');
    expect(error.querySelector('button')!.textContent).to.contain('Retry');
  });

  it('shows "session expired" and fires bh-auth-expired on a 401', async () => {
    const mounting = mount<BackupHealthBadge>(html`<backup-health-badge api-base=${env.apiBase} token=${env.tokens.expired} client=${env.clientScoped.clientId}></backup-health-badge>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const badge = await mounting;
    expect(event.bubbles && event.composed).to.be.true;
    await until(() => $(badge, '[part~="auth-expired"]'), 'expired state');
    badge.token = env.clientScoped.token;
    await until(() => $(badge, '[part~="name"]'), 'badge after a new token');
  });

  it('refreshes when the stream reports a change to one of its devices', async () => {
    const badge = await mountBadge(env.clientScoped.token);
    await until(() => badge.api?.stream.connected, 'stream connected');
    const device = (await apiGet<Page<DeviceItem>>(`/devices?client=${env.clientScoped.clientId}&limit=1`)).items[0]!;
    const requests = countRequests(`/clients/${env.clientScoped.clientId}`);
    try {
      await ingest([{ type: 'storage', deviceId: device.id, at: new Date().toISOString(), usedBytes: (device.storage.usedBytes ?? 0) + 1_000, quotaBytes: device.storage.quotaBytes ?? undefined }]);
      await until(() => requests.count > 0, 'badge refreshed');
      await until(() => $(badge, '[part~="name"]'), 'still rendered');
    } finally {
      requests.restore();
    }
  });
});

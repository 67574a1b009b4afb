/**
 * The real BFF for the widget tests, run as a child process by web-test-runner.config.mjs
 * (`node --import tsx test/widgets/real-bff.ts`): `startBff` on a fresh libSQL file in a
 * temp directory, CORS open to the test page's origin, a small fleet seeded through the
 * public HTTP API (as an RMM would), and the credentials the tests use.
 *
 * When ready it prints one line `BH_TEST_ENV <json>` on stdout (the `TestEnv` of
 * support.ts); logs go to stderr. SIGTERM/SIGINT stop the BFF and delete the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { readEnvironment } from '../../bff/env.ts';
import { log } from '../../bff/log.ts';
import { CredentialResolver } from '../../bff/services/credentials.ts';
import { startBff } from '../../bff/start.ts';
import type { ClientItem, DeviceListItem, Page } from '../../core/api.ts';
import { createApiClient } from '../../demo/api-client.ts';
import { enrolmentClock } from '../../demo/seed/enrolment-clock.ts';
import { buildFleet } from '../../demo/seed/fleet.ts';
import { seedFleet } from '../../demo/seed/seeder.ts';

const HOUR = 3_600_000;
/** Long enough for any run; short-lived like real embed tokens. */
const TOKEN_TTL_S = 2 * 3600;

log.setLevel((process.env.BHM_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'warn');

const directory = mkdtempSync(join(tmpdir(), 'bh-widget-tests-'));
const adminKey = `bhk_widget_tests_${randomBytes(16).toString('hex')}`;
const environment = readEnvironment({
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: `file:${join(directory, 'backup-health.db')}`,
  BHM_BOOTSTRAP_KEY: adminKey,
  BHM_CORS_ORIGINS: '*',
  BHM_INTEGRATION_NETWORKS: 'any',
  BHM_MAIL_INGEST_PORT: '0',
});
// Devices enrolled as of the start of their history, as the demo does (enrolment-clock.ts).
const clock = enrolmentClock();
const bff = await startBff(environment, { clock });

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await bff.close().catch((error) => log.error('BFF close failed', { error: String(error) }));
    rmSync(directory, { recursive: true, force: true });
  }
  process.exit(code);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(0));
// The parent (web-test-runner) went away without stopping us.
process.stdin.on('end', () => void stop(0));
process.stdin.resume();

try {
  const api = createApiClient(`${bff.url}/api/v1`, adminKey);
  const now = Date.now();

  // ~50 devices over a dozen clients: servers, workstations and SaaS; steady, failing,
  // recovered (resolved alerts), overdue, silent, DR-failed, near/over quota, new…
  await seedFleet(api, buildFleet({ deviceCount: 50, seed: 4 }), { now, history: { days: 14, hourlyDays: 3 }, beforeInventory: () => clock.backdate(14), afterInventory: async () => clock.resume() });
  // A history sent in one batch is evaluated once, at its end: alerts that opened and
  // resolved come from a failure and a later success sent separately.
  const healthy = (await api.get('/devices?status=healthy&kind=workstation&sort=name&order=asc&limit=500')).items;
  for (const device of [healthy[4], healthy[12], healthy[20]].filter((d): d is DeviceListItem => d !== undefined)) {
    const failedAt = Date.now() - 2_000;
    await api.post('/events?wait=evaluated', { events: [{ type: 'job', id: `job-${device.id}-failed`, deviceId: device.id, status: 'failed', startedAt: new Date(failedAt - 60_000).toISOString(), endedAt: new Date(failedAt).toISOString(), message: 'Backup destination unreachable: connection timed out after 120 s.' }] });
    const succeededAt = Date.now() - 1_000;
    await api.post('/events?wait=evaluated', { events: [{ type: 'job', id: `job-${device.id}-retry`, deviceId: device.id, status: 'success', startedAt: new Date(succeededAt - 500).toISOString(), endedAt: new Date(succeededAt).toISOString(), bytes: 1_500_000_000 }] });
  }

  // Settings: one client with a stricter server SLA (the settings tests need clients with
  // and without one), report recipients, and integrations configured but disabled. Their
  // addresses refuse connections on loopback: nothing leaves the machine.
  await api.put('/settings/sla', { clients: { 'woodgrove-credit-union': { serverHours: 8 } } });
  await api.put('/settings/reports', { weeklyEnabled: true, recipients: ['noc@msp.example'], deliveryDay: 'monday', deliveryTime: '08:00', timezone: 'UTC' });
  await api.put('/settings/integrations/psa', { enabled: false, baseUrl: 'http://127.0.0.1:9/psa', integrationKey: 'psa-key-for-widget-tests', failureThreshold: 3 });
  await api.put('/settings/integrations/oncall', { enabled: false, baseUrl: 'http://127.0.0.1:9/oncall', integrationKey: 'oncall-key-for-widget-tests' });

  // Maintenance (docs/alert-workflow.md): one healthy server inside a one-off window from an hour ago to a day from now.
  const inMaintenance = (await api.get('/devices?status=healthy&kind=server&sort=name&order=asc&limit=1')).items[0]!;
  await api.put('/maintenance/widget-tests-firmware', {
    name: 'Firmware update',
    scope: { deviceIds: [inMaintenance.id] },
    start: new Date(now - HOUR).toISOString(),
    end: new Date(now + 24 * HOUR).toISOString(),
  });

  // Ingest (docs/ingest.md): a report mail no parser knows (the unmatched list, the keyword-rule
  // preview) and two unknown devices that pinged with ?create=1 (the discovery inbox).
  const ingest = await api.get('/settings/ingest');
  await nodemailer
    .createTransport({ host: '127.0.0.1', port: bff.mail!.listener.port, secure: false, ignoreTLS: true })
    .sendMail({ from: 'backup@nas01.contoso.example', to: ingest.mailAddress, subject: 'Nightly backup of nas-01 FAILED', text: 'Backup job on nas-01 failed: destination disk full.' });
  for (const path of ['discovered-nas-7/start?create=1', 'discovered-nas-7?create=1', 'discovered-printer-2/1?create=1']) {
    const response = await fetch(`${bff.url}/ping/${ingest.pingKey}/${path}`, { method: 'POST' });
    if (!response.ok) throw new Error(`seeding ping ${path}: ${response.status}`);
  }

  const mint = (body: { scopes: ('read' | 'operate')[]; clientId?: string }) =>
    api.post('/embed-tokens', { ...body, ttlSeconds: TOKEN_TTL_S }).then((answer) => answer.token);

  // The client-scoped token sees the client with the most devices.
  const clients = (await api.get('/clients?limit=500')).items;
  const scopedClient = [...clients].sort((a, b) => b.total - a.total || a.id.localeCompare(b.id))[0]!;

  // A genuinely expired token (the BFF answers 401 token-expired): minted with the
  // tenant's own secret, an hour in the past. The HTTP API never mints one (TTL ≥ 60 s).
  const expired = await new CredentialResolver(bff.deps.db).mintToken('default', ['read'], null, 60, now - HOUR);

  const env = {
    apiBase: bff.url,
    tokens: {
      admin: adminKey,
      operate: await mint({ scopes: ['read', 'operate'] }),
      read: await mint({ scopes: ['read'] }),
      expired: expired.token,
    },
    ingest: { unmatchedSubject: 'Nightly backup of nas-01 FAILED', discovered: ['discovered-nas-7', 'discovered-printer-2'] },
    maintenance: { deviceId: inMaintenance.id, deviceName: inMaintenance.name, windowName: 'Firmware update' },
    clientScoped: { token: await mint({ scopes: ['read'], clientId: scopedClient.id }), clientId: scopedClient.id },
  };
  process.stdout.write(`BH_TEST_ENV ${JSON.stringify(env)}\n`);
} catch (error) {
  log.error('seeding the widget-test BFF failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await stop(1);
}

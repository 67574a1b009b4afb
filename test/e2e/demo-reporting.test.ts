/**
 * The demo shows the three ways real tools report (docs/ingest.md) live: a device pinging its ping
 * URL, a Veeam server mailing its report to the demo's SMTP listener, and an unknown
 * device in the discovery inbox, plus a report mail nothing claims in the unmatched list.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApiClient, type ApiClient } from '../../demo/api-client.ts';
import { startDemo, type RunningDemo } from '../../demo/main.ts';

let demo: RunningDemo;
let directory: string;
let api: ApiClient;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'bh-demo-reporting-'));
  demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, deviceCount: 20, simulator: false, reporting: { intervalMs: 0 }, print: null });
  await demo.ready;
  api = createApiClient(`${demo.url}/api/v1`, demo.adminKey);
});

after(async () => {
  await demo?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** Until the instance has evaluated what it stored (pings and mails are evaluated off the request path). */
async function evaluated(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ready = (await (await fetch(`${demo.url}/readyz`)).json()) as { lag: { evaluation: { pendingDevices: number } } };
    if (ready.lag.evaluation.pendingDevices === 0) return;
    if (Date.now() > deadline) throw new Error('the evaluation queue did not empty within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a round of the reporting devices records a pinged job and the Veeam report mail as jobs of both servers', async () => {
  await demo.reporting!.tick();
  await evaluated();
  const nas = await api.get('/devices/nas-01-ping');
  assert.equal(nas.lastJobStatus, 'success');
  for (const id of ['vbr-dc01', 'vbr-sql01']) assert.equal((await api.get(`/devices/${id}`)).lastJobStatus, 'success', id);
  assert.ok(demo.reporting!.pingUrlBase.startsWith(`${demo.url}/ping/`));
  assert.equal(demo.reporting!.stats.mails, 2);
});

test('an unknown device waits in the discovery inbox and a mail nothing claims is listed unmatched', async () => {
  assert.deepEqual((await api.get('/discovery')).items.map((item) => item.slug), ['new-laptop-7']);
  const unmatched = (await api.get('/mail?state=unmatched')).items.map((mail) => mail.subject);
  assert.ok(unmatched.some((subject) => subject.includes('Hyper Backup')), JSON.stringify(unmatched));
});

test('the devices for your own borgmatic and restic are enrolled with their ping slugs', async () => {
  assert.equal((await api.get('/devices/borgmatic-demo')).pingSlug, 'borgmatic');
  assert.equal((await api.get('/devices/restic-demo')).pingSlug, 'restic');
});

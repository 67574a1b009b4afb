/**
 * The demo's simulator behaves like a real fleet (issue #20): one job per scheduled
 * run, a failed run retried at most twice, plausible durations per kind — against the
 * real demo BFF.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DeviceItem, Page } from '../../core/api.ts';
import { createApiClient } from '../../demo/api-client.ts';
import { startDemo, type RunningDemo } from '../../demo/main.ts';
import { startSimulator } from '../../demo/simulator.ts';

const MINUTE = 60_000;
let demo: RunningDemo;
let directory: string;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'bh-demo-sim-'));
  demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, deviceCount: 40, simulator: false, print: null });
  await demo.ready;
});

after(async () => {
  await demo?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

test('one job per scheduled run, at most two retries after a failure, and durations a backup of that kind takes', async () => {
  const api = createApiClient(`${demo.url}/api/v1`, demo.adminKey);
  const kinds = new Map<string, DeviceItem['kind']>();
  const page: Page<DeviceItem> = await api.get('/devices?limit=500');
  for (const device of page.items) kinds.set(device.id, device.kind);

  const simulator = startSimulator(api, { intervalMs: 0, seed: 42 });
  const jobs = new Map<string, { id: string; status: string; startedAt: number; endedAt: number | null }>();
  for (let round = 0; round < 40; round++) {
    for (const event of await simulator.tick()) {
      if (event.type !== 'job') continue;
      const endedAt = 'endedAt' in event && event.endedAt ? Date.parse(event.endedAt) : null;
      jobs.set(event.id, { id: event.deviceId, status: event.status, startedAt: Date.parse(event.startedAt), endedAt });
    }
  }
  await simulator.stop();
  assert.ok(jobs.size >= 10, `${jobs.size} jobs in 40 rounds: the demo keeps moving`);

  const byDevice = new Map<string, { status: string; startedAt: number; endedAt: number | null }[]>();
  for (const job of jobs.values()) byDevice.set(job.id, [...(byDevice.get(job.id) ?? []), job]);
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    // Within a few seconds of real time a device has one run: its first job, then only retries of a failure.
    assert.ok(list.length <= 3, `${deviceId}: ${list.length} jobs`);
    for (const earlier of list.slice(0, -1)) assert.equal(earlier.status, 'failed', `${deviceId} ran again after a ${earlier.status} job`);
  }
  const range = { server: [20, 90], workstation: [5, 40], saas: [10, 60] } as const;
  for (const job of jobs.values()) {
    if (job.endedAt === null) continue;
    const minutes = (job.endedAt - job.startedAt) / MINUTE;
    const [low, high] = range[kinds.get(job.id)!];
    assert.ok(minutes >= low - 1 && minutes <= high + 2, `${job.id} (${kinds.get(job.id)}) ran ${minutes.toFixed(1)} min`);
  }
});

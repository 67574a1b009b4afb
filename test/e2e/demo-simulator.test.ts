/**
 * The demo's simulator behaves like a real fleet (issue #20): devices run at their
 * policies' slots in their clients' timezones, one job per run, a failed run retried at
 * most twice 15–60 min later, durations a backup of that kind takes, laptops off at
 * weekends. A week of simulated time is driven by a test clock over the real demo's
 * devices and policies (its events collected, not posted: the BFF refuses the future);
 * "Simulate a round of jobs" posts to the real BFF.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { localDateTime } from '../../core/zoned-time.ts';
import { createApiClient, type ApiClient } from '../../demo/api-client.ts';
import { startDemo, type RunningDemo } from '../../demo/main.ts';
import type { IngestEvent } from '../../demo/seed/events.ts';
import { buildFleet, policyOf, type DeviceSpec } from '../../demo/seed/fleet.ts';
import { slotDevice } from '../../demo/seed/history.ts';
import { compiledPolicy, DURATION_MINUTES, slotsBetween } from '../../demo/seed/slots.ts';
import { startSimulator } from '../../demo/simulator.ts';

const MINUTE = 60_000;
const DEVICES = 40;
let demo: RunningDemo;
let directory: string;
let api: ApiClient;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'bh-demo-sim-'));
  demo = await startDemo({ port: 0, databaseUrl: `file:${join(directory, 'demo.db')}`, deviceCount: DEVICES, simulator: false, reporting: false, print: null });
  await demo.ready;
  api = createApiClient(`${demo.url}/api/v1`, demo.adminKey);
});

after(async () => {
  await demo?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** The slot a job belongs to: calendar, the latest slot s with s − grace ≤ start; interval, the latest slot ≤ start. */
function slotOf(device: DeviceSpec, startedAt: number): number {
  const compiled = compiledPolicy(slotDevice(device));
  if (compiled.calendar) return compiled.calendar.slotAtOrBefore(startedAt + compiled.graceMs)!;
  return slotsBetween(slotDevice(device), startedAt - compiled.intervalHours! * 3_600_000, startedAt).at(-1)!;
}

test('a simulated week: jobs start a few minutes after their slots, one per run, retried only after a failure, laptops off at weekends', async () => {
  const fleet = new Map(buildFleet({ deviceCount: DEVICES }).devices.map((device) => [device.id, device]));
  const posted: IngestEvent[] = [];
  const collecting: ApiClient = { get: api.get, put: api.put, post: (async (_path: string, body: { events: IngestEvent[] }) => void posted.push(...body.events)) as unknown as ApiClient["post"] };
  let now = Date.now();
  const simulator = startSimulator(collecting, { intervalMs: 0, seed: 42, devices: fleet, clock: () => now });
  const end = now + 7 * 24 * 60 * MINUTE;
  for (; now < end; now += 5 * MINUTE) await simulator.tick();
  await simulator.stop();

  type Job = Extract<IngestEvent, { type: 'job' }>;
  const started = new Map<string, Job>();
  const finished = new Map<string, Job>();
  for (const event of posted) {
    if (event.type !== 'job') continue;
    if (event.status === 'running') started.set(event.id, event);
    else finished.set(event.id, event);
  }
  assert.ok(finished.size > 200, `${finished.size} jobs in a week of ${DEVICES} devices`);
  for (const id of finished.keys()) assert.ok(started.has(id), `${id} was posted as running when it started`);

  const byDevice = new Map<string, Job[]>();
  for (const job of finished.values()) byDevice.set(job.deviceId, [...(byDevice.get(job.deviceId) ?? []), job]);
  let retries = 0;
  for (const [deviceId, jobs] of byDevice) {
    const device = fleet.get(deviceId)!;
    const [shortest, longest] = DURATION_MINUTES[device.role];
    jobs.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const runs = new Map<number, Job[]>();
    for (const job of jobs) {
      const startedAt = Date.parse(job.startedAt);
      if (device.role === 'laptop') assert.ok(localDateTime(startedAt, device.timezone).weekday <= 5, `${device.name} ran at the weekend`);
      const slot = slotOf(device, startedAt);
      runs.set(slot, [...(runs.get(slot) ?? []), job]);
    }
    for (const [slot, run] of runs) {
      const [first, ...rest] = run;
      const delay = (Date.parse(first!.startedAt) - slot) / MINUTE;
      // A quiet device that comes back runs its missed backup at once; the others run at their slots.
      const cameBack = ['overdue', 'consent-expired'].includes(device.scenario);
      assert.ok(cameBack || (delay >= 0 && delay <= 20), `${device.name} started ${delay.toFixed(0)} min after its slot`);
      const minutes = (Date.parse(first!.endedAt!) - Date.parse(first!.startedAt)) / MINUTE;
      assert.ok(minutes >= shortest && minutes <= longest, `${device.name} (${device.role}) ran ${minutes.toFixed(0)} min`);
      rest.forEach((retry, k) => {
        const failure = run[k]!;
        assert.equal(failure.status, 'failed', `${device.name} ran again after a ${failure.status} job`);
        const gap = (Date.parse(retry.startedAt) - Date.parse(failure.endedAt!)) / MINUTE;
        assert.ok(gap >= 15 && gap <= 60, `${device.name} retried ${gap.toFixed(0)} min after the failure`);
        retries++;
      });
      assert.ok(run.length <= 3, `${device.name}: ${run.length} jobs in one run`);
    }
    // A steady Mon–Fri workstation runs every weekday it was due, and only then.
    if (policyOf(device.role).id === 'workstations' && device.scenario === 'steady') {
      const weekdays = [...runs.keys()].map((slot) => localDateTime(slot, device.timezone).weekday);
      assert.ok(weekdays.every((day) => day <= 5) && weekdays.length >= 4 && weekdays.length <= 6, `${device.name}: runs on ${weekdays.join(',')}`);
    }
  }
  for (const event of posted) {
    if (event.type !== 'checkin') continue;
    const device = fleet.get(event.deviceId)!;
    const local = localDateTime(Date.parse(event.at), device.timezone);
    if (device.role === 'laptop') assert.ok(local.weekday <= 5 && local.hour >= 8 && local.hour < 18, `${device.name} checked in off hours`);
  }
});

test('“Simulate a round of jobs” brings the next due runs forward and posts them to the BFF', async () => {
  const simulator = startSimulator(api, { intervalMs: 0, seed: 7, devices: new Map(buildFleet({ deviceCount: DEVICES }).devices.map((d) => [d.id, d])) });
  const events = await simulator.runNow(3);
  await simulator.stop();
  const jobs = events.filter((event) => event.type === 'job' && event.status !== 'running');
  assert.ok(jobs.length >= 3, `${jobs.length} jobs`);
  assert.equal(simulator.stats.jobs >= 3, true);
  const job = jobs[0] as Extract<IngestEvent, { type: 'job' }>;
  const detail = await api.get(`/devices/${encodeURIComponent(job.deviceId)}`);
  assert.ok(detail.jobs.some((seen) => seen.id === job.id), 'the BFF has the job');
});
